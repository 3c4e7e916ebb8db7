/* "Use my location": sorts the centre cards by distance, in the browser.

   The position never leaves the device: no request is made with it, no map service is
   asked. Without JavaScript, or when the browser says no, the button stays hidden or the
   cards keep their order, and the postcode box does the job. */
(function () {
  "use strict";
  var button = document.getElementById("locate");
  var list = document.getElementById("centre-cards");
  var result = document.getElementById("find-result");
  if (!button || !list || !result || !("geolocation" in navigator)) return;
  var cards = Array.prototype.slice.call(list.querySelectorAll("li[data-lat]"));
  if (!cards.length) return;
  button.hidden = false;

  var language = document.documentElement.lang || "da";
  var numbers = new Intl.NumberFormat(language, { maximumFractionDigits: 1, minimumFractionDigits: 1 });

  // Great-circle distance in kilometres (haversine); plenty precise across one city.
  function kilometres(lat1, lon1, lat2, lon2) {
    var rad = Math.PI / 180;
    var dLat = (lat2 - lat1) * rad;
    var dLon = (lon2 - lon1) * rad;
    var a = Math.pow(Math.sin(dLat / 2), 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.pow(Math.sin(dLon / 2), 2);
    return 6371 * 2 * Math.asin(Math.sqrt(a));
  }

  function sortFrom(lat, lon) {
    var measured = cards.map(function (card) {
      return { card: card, km: kilometres(lat, lon, parseFloat(card.dataset.lat), parseFloat(card.dataset.lon)) };
    });
    measured.sort(function (a, b) { return a.km - b.km; });
    var rest = Array.prototype.slice.call(list.querySelectorAll("li:not([data-lat])"));
    measured.forEach(function (m) {
      list.appendChild(m.card);
      var label = m.card.querySelector(".pub-distance");
      if (label) {
        label.textContent = button.dataset.distance.replace("{km}", numbers.format(m.km));
        label.hidden = false;
      }
    });
    // Centres without coordinates follow, in the order they had.
    rest.forEach(function (card) { list.appendChild(card); });
    result.textContent = button.dataset.sorted;
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        button.disabled = false;
        sortFrom(position.coords.latitude, position.coords.longitude);
      },
      function () {
        button.disabled = false;
        result.textContent = button.dataset.failed;
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 }
    );
  });
})();
