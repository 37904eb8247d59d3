// Progressive enhancement only: every page works without this script.
import { initAll } from '/assets/govuk/govuk-frontend.min.js';
import { initSessionTimeout } from '/assets/js/session-timeout.js';
import { initDraftAutosave } from '/assets/js/draft-autosave.js';

initAll();
initSessionTimeout(document.getElementById('timeout-dialog'));
initDraftAutosave();
