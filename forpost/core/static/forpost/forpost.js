// Start the Designsystem's components. Kept in a file of its own: the CSP forbids inline script.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
});
