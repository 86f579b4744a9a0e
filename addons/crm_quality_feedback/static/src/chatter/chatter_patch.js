/** @odoo-module **/

import { Chatter } from "@mail/chatter/web_portal/chatter";
import { patch } from "@web/core/utils/patch";

// Marking a complaint's follow-up call done moves the complaint to its next step on the server:
// reload the ticket so the form shows that step and its "Close Complaint" button at once.
patch(Chatter.prototype, {
    onActivityChanged(thread) {
        super.onActivityChanged(thread);
        if (thread.model === "helpdesk.ticket") {
            this.reloadParentView();
        }
    },
});
