/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";
import { debounce } from "@web/core/utils/timing";

/**
 * The complaint form suggests published FAQ entries while the customer writes its subject and
 * description. The server decides what may be shown (published entries of the customer's
 * company); the page only lists the questions, as text, with a link to each answer.
 */
publicWidget.registry.CrmFaqSuggestions = publicWidget.Widget.extend({
    selector: "form[action='/submitted/ticket']",
    events: {
        "input input[name='subject']": "_onInput",
        "input textarea[name='description']": "_onInput",
    },

    start() {
        this.box = this.el.querySelector(".o_crm_faq_suggestions");
        this.list = this.el.querySelector(".o_crm_faq_suggestion_list");
        this._suggest = debounce(this._suggest.bind(this), 400);
        this.lastText = null;
        return this._super(...arguments);
    },

    _onInput() {
        if (this.box) {
            this._suggest();
        }
    },

    async _suggest() {
        const subject = this.el.querySelector("input[name='subject']")?.value || "";
        const description = this.el.querySelector("textarea[name='description']")?.value || "";
        const text = `${subject} ${description}`.trim();
        if (text === this.lastText) {
            return;
        }
        this.lastText = text;
        let entries = [];
        try {
            entries = text ? await rpc("/my/faq/suggest", { text }) : [];
        } catch {
            entries = []; // no suggestion is better than a form that cannot be sent
        }
        if (text !== this.lastText) {
            return; // the customer typed on; a newer answer is coming
        }
        this.list.replaceChildren(
            ...entries.map((entry) => {
                const item = document.createElement("li");
                const link = document.createElement("a");
                link.href = entry.url;
                link.target = "_blank";
                link.className = "o_crm_faq_suggestion";
                link.textContent = entry.question;
                const excerpt = document.createElement("div");
                excerpt.className = "small text-muted";
                excerpt.textContent = entry.excerpt;
                item.append(link, excerpt);
                return item;
            })
        );
        this.box.classList.toggle("d-none", !entries.length);
    },
});

export default publicWidget.registry.CrmFaqSuggestions;
