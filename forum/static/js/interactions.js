// Everyday interactions (issue 22): the header's Notifications and Messages menus, like / bookmark / notification
// level in place, the reading position of a long topic, and keyboard shortcuts. Each has a plain-HTML path.

import { wireHeaderMenus } from "./notifications_menu.js";
import { wirePostActions } from "./post_actions.js";
import { wireReadingPosition } from "./reading_position.js";
import { wireShortcuts } from "./shortcuts.js";

export function wireInteractions(root) {
  wireHeaderMenus(root);
  wirePostActions(root);
  wireReadingPosition();
  wireShortcuts();
}
