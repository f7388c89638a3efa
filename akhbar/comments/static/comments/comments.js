/* Reader comments: fetch a form token when a reader first uses the comment form.
 * The article page may come from a shared cache, so it carries no per-visitor
 * token; the server needs one to tell how long the form was open. Without
 * JavaScript the server asks the reader to confirm once instead. */
(function () {
  "use strict";
  function prepare(form) {
    var input = form.querySelector('input[name="token"]');
    var url = form.getAttribute("data-token-url");
    if (!input || !url || input.value) { return; }
    var pending = false;
    function fetchToken() {
      if (pending || input.value) { return; }
      pending = true;
      fetch(url, { credentials: "omit", cache: "no-store", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && data.token) { input.value = data.token; } })
        .catch(function () { /* the server will ask the reader to confirm instead */ })
        .then(function () { pending = false; });
    }
    form.addEventListener("focusin", fetchToken);
    form.addEventListener("pointerdown", fetchToken);
  }
  function focusErrors() {
    var summary = document.getElementById("comment-errors");
    if (summary) { summary.focus(); }
  }
  var forms = document.querySelectorAll("form.comment-form");
  for (var i = 0; i < forms.length; i++) { prepare(forms[i]); }
  focusErrors();
})();
