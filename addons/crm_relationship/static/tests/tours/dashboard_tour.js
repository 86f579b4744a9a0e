/** @odoo-module **/

import { registry } from "@web/core/registry";

// The figures of a dashboard are drawn on a canvas: the tour reads them from the spreadsheet
// model the Dashboards app displays, once every Odoo data source has answered.
export const FIGURES_SIGNAL = "crm dashboard figures:";

function activeDashboardModel() {
    const nodes = [odoo.__WOWL_DEBUG__.root.__owl__];
    while (nodes.length) {
        const node = nodes.pop();
        const model = node.component.state?.activeDashboard?.model;
        if (model) {
            return model;
        }
        nodes.push(...Object.values(node.children));
    }
    throw new Error("No dashboard is displayed");
}

async function readFigures(name) {
    const model = activeDashboardModel();
    const { waitForDataLoaded } = odoo.loader.modules.get("@spreadsheet/helpers/model");
    const { helpers } = odoo.loader.modules.get("@odoo/o-spreadsheet");
    await waitForDataLoaded(model);
    const { getters } = model;
    const sheetId = getters.getActiveSheetId();
    const cells = getters.getEvaluatedCells(sheetId);
    const errors = cells.filter((cell) => cell.type === "error");
    if (errors.length) {
        throw new Error(`${name}: cells in error: ${errors.map((cell) => cell.message || cell.value)}`);
    }
    if (!cells.some((cell) => typeof cell.value === "number" && cell.value > 0)) {
        throw new Error(`${name}: no figure above zero`);
    }
    const figures = {};
    for (const chartId of getters.getChartIds(sheetId)) {
        const definition = getters.getChartDefinition(chartId);
        if (definition.type !== "scorecard") {
            continue;
        }
        const runtime = getters.getChartRuntime(chartId);
        if (!runtime.keyValue || runtime.keyValue === "Loading...") {
            throw new Error(`${name}: the scorecard ${definition.title.text} shows no value`);
        }
        const { col, row } = helpers.toCartesian(definition.keyValue.split(":")[0]);
        figures[definition.title.text] = getters.getEvaluatedCell({ sheetId, col, row }).value;
    }
    // the test compares these with the database
    console.log(`${FIGURES_SIGNAL} ${JSON.stringify({ dashboard: name, figures })}`);
}

/** Open a dashboard of the Dashboards app and wait until its figures are loaded and drawn. */
export function openDashboard(name) {
    return [
        {
            content: "The Dashboards app lists the Customer Relationship dashboards",
            trigger: ".o_spreadsheet_dashboard_search_panel section:contains('Customer Relationship')",
        },
        {
            content: `Pick the ${name} dashboard`,
            trigger: `.o_spreadsheet_dashboard_search_panel li[data-name='${name}']`,
            run: "click",
        },
        {
            content: `The ${name} dashboard is displayed`,
            trigger: `.o_spreadsheet_dashboard_search_panel li.active[data-name='${name}']`,
        },
        {
            content: "Its spreadsheet is rendered, not a sample",
            trigger: ".o_renderer:not(.o-sample-dashboard) .o-spreadsheet canvas",
        },
        {
            content: "Every data source answered: no cell loading or in error, the scorecards show a value",
            trigger: ".o_renderer .o-spreadsheet .o-figure",
            run: () => readFigures(name),
        },
        {
            content: "The charts have drawn their figures",
            trigger: ".o_renderer .o-spreadsheet .o-figure canvas",
            run: () => new Promise((resolve) => setTimeout(resolve, 1500)),
        },
    ];
}

registry.category("web_tour.tours").add("crm_relationship_dashboard_screen", {
    steps: () => openDashboard("Relationship"),
});
