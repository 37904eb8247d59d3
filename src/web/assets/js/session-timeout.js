// Session time-out warning (WCAG 2.2.1 Timing Adjustable): two minutes before the idle time-out,
// a dialog offers "Stay signed in". Before it shows, the server is asked how long is really left
// (another tab may have kept the session alive); asking does not itself count as activity.
const WARNING_SECONDS = 120;

export function initSessionTimeout(dialog) {
  if (!dialog || typeof dialog.showModal !== 'function') return;
  const idleSeconds = Number(dialog.dataset.idleSeconds) || 1800;
  const countdown = dialog.querySelector('[data-countdown]');
  const form = dialog.querySelector('form');
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
  let deadline = Date.now() + idleSeconds * 1000;
  let warnTimer;
  let tickTimer;

  function schedule() {
    clearTimeout(warnTimer);
    warnTimer = setTimeout(checkAndWarn, Math.max(0, deadline - Date.now() - WARNING_SECONDS * 1000));
  }

  async function checkAndWarn() {
    try {
      const response = await fetch('/session/remaining', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (!response.ok) return signedOut();
      const { secondsRemaining } = await response.json();
      deadline = Date.now() + secondsRemaining * 1000;
      if (secondsRemaining > WARNING_SECONDS + 5) return schedule();
    } catch {
      // Offline: warn on our own estimate.
    }
    // Forms with drafts keep what has been typed before the user may be signed out.
    document.dispatchEvent(new Event('throughline:session-expiring'));
    dialog.showModal();
    tick();
  }

  function tick() {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    if (left === 0) return checkBeforeSigningOut();
    const minutes = Math.floor(left / 60);
    const seconds = left % 60;
    countdown.textContent = minutes > 0 ? `${minutes} minute${minutes === 1 ? '' : 's'}${seconds ? ` ${seconds} seconds` : ''}` : `${seconds} seconds`;
    tickTimer = setTimeout(tick, 1000);
  }

  // Another tab may have kept the session alive: ask before declaring it over.
  async function checkBeforeSigningOut() {
    try {
      const response = await fetch('/session/remaining', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (response.ok) {
        const { secondsRemaining } = await response.json();
        if (secondsRemaining > 0) {
          deadline = Date.now() + secondsRemaining * 1000;
          dialog.close();
          return schedule();
        }
      }
    } catch {
      // Fall through: treat as signed out.
    }
    signedOut();
  }

  function signedOut() {
    document.dispatchEvent(new Event('throughline:session-expiring'));
    setTimeout(() => {
      window.location.href = '/signed-out?reason=timeout';
    }, 500);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearTimeout(tickTimer);
    try {
      const response = await fetch('/session/extend', {
        method: 'POST',
        headers: { Accept: 'application/json', 'X-CSRF-Token': csrf },
        credentials: 'same-origin',
      });
      if (!response.ok) return signedOut();
      const { idleExpiresAt } = await response.json();
      deadline = new Date(idleExpiresAt).getTime();
      dialog.close();
      schedule();
    } catch {
      // No script path to the server: send the form itself, and come back to this page.
      const back = document.createElement('input');
      back.type = 'hidden';
      back.name = 'returnTo';
      back.value = window.location.pathname + window.location.search;
      form.append(back);
      form.submit();
    }
  });

  // Escape closes a modal dialog; here it must not silently leave the clock running, so it counts
  // as "Stay signed in" (as other public-sector time-out dialogs do).
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    form.requestSubmit();
  });

  schedule();
}
