// Sign-in: the token goes to POST /console/login once; the service answers with an HttpOnly session cookie.
'use strict';

document.getElementById('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = document.getElementById('login-error');
  const button = document.getElementById('login-submit');
  error.hidden = true;
  button.disabled = true;
  try {
    const response = await fetch('/console/login', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({token: document.getElementById('login-token').value}),
    });
    if (response.ok) {
      window.location.reload();
      return;
    }
    error.textContent = response.status === 401
      ? 'That is not the admin token. Check ADMIN_TOKEN in the service\'s environment.'
      : 'Sign-in failed (HTTP ' + response.status + ').';
  } catch (e) {
    error.textContent = 'The service did not answer: ' + e.message;
  }
  error.hidden = false;
  button.disabled = false;
});
