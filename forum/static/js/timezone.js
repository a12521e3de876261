// Remember the browser's time zone, so that times show in it until the member chooses one.
export function rememberTimeZone() {
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("tz=" + encodeURIComponent(zone)) === -1) {
      document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax";
    }
    var select = document.querySelector(".tz-select select");
    if (select && !select.value) {
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === zone) { select.value = zone; break; }
      }
    }
  } catch (e) { /* very old browser: times stay in UTC */ }
}
