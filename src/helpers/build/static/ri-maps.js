/* Regionale innovatie in Nederland: one map per figure.
 *
 * Each map is a numbered figure (class ri-map) whose image is the static map: what print, the
 * PDF and readers without JavaScript get. Its legend holds an empty iframe (class
 * ri-map-frame, data-leaflet-map="<chapter>-<name>") in a <template>. On screen this script
 * puts the iframe in place of the image and, once the figure comes near the screen
 * (IntersectionObserver), points it at _static/maps/<chapter>-<name>.html, the interactive
 * map, so maps the reader does not scroll to are never loaded; ri-maps.css hides the image
 * on screen and the iframe in print. The image is lazy too, so on screen it is never fetched;
 * before printing (or when print media is emulated) every map image is fetched at once.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL("maps/", script ? script.src : document.baseURI);

  function load(frame) {
    if (!frame.getAttribute("src")) {
      frame.src = new URL(frame.dataset.leafletMap + ".html", base).href;
    }
  }

  // A map's page (Leaflet, its shapes) is fetched when its figure comes within NEAR of the
  // screen, not with the page: a reader who does not scroll to a map does not load it, and the
  // page's own text and figures come first. (The browser's loading="lazy" alone would fetch
  // every iframe within a few thousand pixels of the screen.)
  var NEAR = "400px 0px";
  var observer = "IntersectionObserver" in window
    ? new IntersectionObserver(function (entries) {
        for (var i = 0; i < entries.length; i++) {
          if (!entries[i].isIntersecting) continue;
          observer.unobserve(entries[i].target);
          var frame = entries[i].target.querySelector("iframe.ri-map-frame");
          if (frame) load(frame);
        }
      }, { rootMargin: NEAR })
    : null;

  // The frames: kept in a <template> by the book (no document until used; older pages had
  // the iframe itself in the caption).
  function hooks() {
    var frames = [];
    var templates = document.querySelectorAll("template.ri-map-hook");
    for (var i = 0; i < templates.length; i++) {
      var frame = templates[i].content.querySelector("iframe.ri-map-frame");
      if (frame) frames.push({ frame: frame, figure: templates[i].closest("figure") });
      templates[i].remove();
    }
    var plain = document.querySelectorAll("figure.ri-map:not(.ri-map-live) iframe.ri-map-frame");
    for (var j = 0; j < plain.length; j++) {
      frames.push({ frame: plain[j], figure: plain[j].closest("figure") });
    }
    return frames;
  }

  function activate() {
    var frames = hooks();
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i].frame;
      var figure = frames[i].figure;
      if (!figure || figure.classList.contains("ri-map-live")) continue;
      figure.insertBefore(frame, figure.firstChild);
      frame.setAttribute("loading", "lazy");
      figure.classList.add("ri-map-live");
      if (observer) observer.observe(figure);
      else load(frame);
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
