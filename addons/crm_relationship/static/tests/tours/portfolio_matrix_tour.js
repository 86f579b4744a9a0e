/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_relationship_portfolio_matrix", {
    steps: () => [
        {
            content: "The bubble chart is drawn with the demo customers",
            trigger: ".o_portfolio_bubbles_drawn:not([data-point-count='0'])",
        },
        {
            content: "The ABC x XYZ table lists the three classes",
            trigger: ".o_portfolio_abc_xyz tbody tr:nth-child(3) th:contains('C')",
        },
        {
            content: "Keep the customers that changed quadrant since the run before",
            trigger: "input.o_portfolio_movers_only",
            run: "click",
        },
        {
            content: "The chart draws the movers alone, as many as the screen counts",
            trigger: ".o_portfolio_bubbles_drawn[data-movers-only='1']",
            run() {
                const { pointCount, moverCount } = document.querySelector(".o_portfolio_bubbles_drawn").dataset;
                if (!(parseInt(moverCount) > 0) || pointCount !== moverCount) {
                    throw new Error(`movers drawn: ${pointCount}, counted: ${moverCount}`);
                }
            },
        },
        {
            content: "Show every customer again",
            trigger: "input.o_portfolio_movers_only",
            run: "click",
        },
        {
            content: "The whole portfolio is drawn again",
            trigger: ".o_portfolio_bubbles_drawn[data-movers-only='0']",
        },
        {
            content: "Filtering by salesperson redraws the chart",
            trigger: "select.o_portfolio_user",
            run: "selectByIndex 1",
        },
        {
            content: "The chart is drawn again",
            trigger: ".o_portfolio_bubbles_drawn",
        },
    ],
});
