// For a page that embeds Society5Kpi widgets in iframes: each widget tells its height, and this sets the frame to it,
// so widgets never show scroll bars. Only messages from the widgets' own site are taken (checked by origin).
(function () {
  var script = document.currentScript;
  var origin = new URL(script ? script.src : location.href).origin;
  // Frames that loaded before this script ran are asked for their height again.
  function ask() {
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++)
      if (frames[i].src.indexOf(origin + "/embed/") === 0) frames[i].contentWindow.postMessage({ type: "s5k-embed-ask" }, origin);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ask); else ask();
  window.addEventListener("load", ask);
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || !event.data || event.data.type !== "s5k-embed-height") return;
    var height = Number(event.data.height);
    if (!(height > 0 && height < 5000)) return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++)
      if (frames[i].contentWindow === event.source) frames[i].style.height = height + "px";
  });
})();
