// Public pages carry empty form-token fields so that a proxy may keep them and no cookie
// is set (rostra.core.form_tokens). When the reader starts to write or vote, fetch a
// token once, fill every such field and send it with htmx requests. Without this file
// a tokenless post comes back with a token and the reader's text, to be sent again.
(function () {
  "use strict";
  var token = "";
  var pending = null;

  function fill() {
    document.querySelectorAll("input[data-form-token]").forEach(function (field) {
      field.value = token;
    });
  }

  function fetchToken() {
    if (token) return Promise.resolve(token);
    if (!pending) {
      pending = fetch("/api/csrf", { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("no form token: " + response.status);
          return response.json();
        })
        .then(function (data) {
          token = data.csrf_token;
          fill();
          return token;
        })
        .catch(function (error) {
          pending = null;
          throw error;
        });
    }
    return pending;
  }

  function needsToken(form) {
    var field = form && form.querySelector && form.querySelector("input[data-form-token]");
    return Boolean(field && !field.value);
  }

  function prefetch(event) {
    var form = event.target.closest && event.target.closest("form");
    if (needsToken(form)) fetchToken().catch(function () {});
  }
  document.addEventListener("focusin", prefetch);
  document.addEventListener("pointerdown", prefetch);

  // Capture phase: runs before htmx's own submit handler on the form.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!needsToken(form)) return;
      if (token) {
        fill();
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      var submitter = event.submitter;
      fetchToken().then(
        function () {
          form.requestSubmit(submitter);
        },
        function () {
          // Send it as it is: the server answers with the form and a token.
          if (submitter && submitter.name) {
            var value = document.createElement("input");
            value.type = "hidden";
            value.name = submitter.name;
            value.value = submitter.value;
            form.appendChild(value);
          }
          HTMLFormElement.prototype.submit.call(form);
        }
      );
    },
    true
  );

  document.addEventListener("htmx:configRequest", function (event) {
    if (token) event.detail.headers["X-CSRFToken"] = token;
  });
  document.addEventListener("htmx:load", function () {
    if (token) fill();
  });
})();
