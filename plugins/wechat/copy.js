/* 复制到公众号: copies the WeChat copy's body as rich text. A file, not an inline script, so a strict CSP holds. */
(function () {
  "use strict";
  var button = document.querySelector(".tool__copy");
  var status = document.querySelector(".tool__status");
  if (!button || !status) { return; }
  var body = document.getElementById(button.getAttribute("data-copy-target"));
  button.hidden = false;

  function done() { status.textContent = "已复制，请到公众号编辑器中粘贴。Copied: paste it into the WeChat editor."; }
  function failed() { status.textContent = "浏览器没有允许复制，请手动选中正文后按 Ctrl+C。Select the body and press Ctrl+C."; }

  // Older browsers: select the body and let the browser copy the selection as rich text.
  function bySelection() {
    var range = document.createRange();
    range.selectNodeContents(body);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
    selection.removeAllRanges();
    if (ok) { done(); } else { failed(); }
  }

  button.addEventListener("click", function () {
    if (navigator.clipboard && window.ClipboardItem) {
      // The markup itself, style attributes included: what the editor keeps.
      var item = new window.ClipboardItem({
        "text/html": new Blob([body.innerHTML], { type: "text/html" }),
        "text/plain": new Blob([body.innerText], { type: "text/plain" })
      });
      navigator.clipboard.write([item]).then(done, bySelection);
    } else {
      bySelection();
    }
  });
})();
