// Progressive enhancement: a recording form keeps a draft on the server as the practitioner types
// (every few seconds after they stop), so a closed tab or a session time-out loses nothing. Without
// JavaScript the form still offers "Save as a draft", and a form sent after a time-out is kept.
const QUIET_MS = 4000;

/** Starts keeping drafts of every form that names a draft address. */
export function initDraftAutosave(root = document) {
  const token = root.querySelector('meta[name="csrf-token"]')?.getAttribute('content');
  for (const form of root.querySelectorAll('form[data-draft-url]')) {
    const url = form.getAttribute('data-draft-url');
    if (!url || !token) continue;
    let timer = null;
    let saving = false;
    const save = async () => {
      if (saving) return;
      saving = true;
      try {
        const body = new URLSearchParams(new FormData(form));
        body.delete('_csrf');
        await fetch(url, { method: 'POST', headers: { 'X-CSRF-Token': token, Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' }, body, credentials: 'same-origin' });
      } catch {
        // Offline or signed out: the next change, or the form itself, tries again.
      } finally {
        saving = false;
      }
    };
    form.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(save, QUIET_MS);
    });
    // Before the time-out signs the user out, keep what is there.
    document.addEventListener('throughline:session-expiring', save);
  }
}
