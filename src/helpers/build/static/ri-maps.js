/* Regionale innovatie in Nederland: one map per figure.
 *
 * Each map is a numbered figure (class ri-map) whose image is the static map: what print, the
 * PDF and readers without JavaScript get. Its legend holds an empty iframe (class
 * ri-map-frame, data-leaflet-map="<chapter>-<name>"). On screen this script moves the iframe
 * in place of the image and points it at _static/maps/<chapter>-<name>.html, the interactive
 * map, loaded when scrolled into view (loading="lazy"); ri-maps.css hides the image on screen
 * and the iframe in print. The image is lazy too, so on screen it is never fetched; before
 * printing (or when print media is emulated) every map image is fetched at once.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL("maps/", script ? script.src : document.baseURI);

  function activate() {
    var frames = document.querySelectorAll("iframe.ri-map-frame[data-leaflet-map]");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      var figure = frame.closest("figure");
      if (!figure || frame.getAttribute("src")) continue;
      figure.insertBefore(frame, figure.firstChild);
      frame.setAttribute("loading", "lazy");
      frame.src = new URL(frame.dataset.leafletMap + ".html", base).href;
      figure.classList.add("ri-map-live");
    }
  }

  function loadImages() {
    var images = document.querySelectorAll("figure.ri-map img[loading='lazy']");
    for (var i = 0; i < images.length; i++) images[i].loading = "eager";
  }

  window.addEventListener("beforeprint", loadImages);
  var print = window.matchMedia("print");
  if (print.matches) loadImages();
  var onChange = function (event) { if (event.matches) loadImages(); };
  if (print.addEventListener) print.addEventListener("change", onChange);
  else print.addListener(onChange);

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", activate);
  else activate();
})();
