/* The shop page: asks before an irreversible action (a refund, a charge, deleting the card). The question is the
   form's data-confirm attribute, written by the server. */
(function () {
  'use strict';

  document.addEventListener('submit', function (event) {
    var question = event.target.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
