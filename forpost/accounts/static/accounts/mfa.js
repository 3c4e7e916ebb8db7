// The second factor's pages (forpost.accounts.mfa). django-otp-webauthn's own script runs the
// passkey ceremony and announces the outcome; a new passkey then shows in the page's list.
document.addEventListener("otp_webauthn.register_complete", function () {
  window.location.reload();
});
