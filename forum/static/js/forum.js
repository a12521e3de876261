// Progressive enhancement for Fellowship. Every feature here has a plain-HTML path without it.
// Loaded as a module (deferred): each feature lives in its own file beside this one.
import { wireComposer } from "./composer.js";
import { wireWelcome } from "./first_steps.js";
import { shareHeaderHeight } from "./header_height.js";
import { wireInteractions } from "./interactions.js";
import { wireQuickSearch } from "./quick_search.js";
import { wireSiteMenu } from "./site_menu.js";
import { rememberTimeZone } from "./timezone.js";
import { setReplyTo, trackReading, wire } from "./topic.js";

// Tells the server that this browser reports reading itself (see trackReading).
if (document.cookie.indexOf("js=1") === -1) { document.cookie = "js=1; path=/; max-age=31536000; SameSite=Lax"; }
rememberTimeZone();
shareHeaderHeight();
wire(document);
trackReading();
document.querySelectorAll("form[data-composer]").forEach(wireComposer);
document.querySelectorAll("form[data-quick-search]").forEach(wireQuickSearch);
document.querySelectorAll("form[data-welcome-dismiss]").forEach(wireWelcome);
document.querySelectorAll("details[data-site-menu]").forEach(wireSiteMenu);
wireInteractions(document);
var cancel = document.querySelector(".cancel-reply");
if (cancel) { cancel.addEventListener("click", function (event) { event.preventDefault(); setReplyTo(null); }); }
var errors = document.querySelector(".form-errors");
if (errors) { errors.focus(); }
// Every feature above is wired: a click from now on takes the enhanced path (browser tests wait for this).
document.documentElement.classList.add("enhanced");
