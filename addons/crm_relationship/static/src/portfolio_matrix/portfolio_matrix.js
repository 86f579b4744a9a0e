/** @odoo-module **/

import { Component, onMounted, onWillStart, onWillUnmount, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatInteger } from "@web/views/fields/formatters";

const QUADRANT_COLORS = {
    star: "rgba(230, 161, 0, 0.7)",
    cash_cow: "rgba(40, 167, 69, 0.7)",
    question_mark: "rgba(23, 162, 184, 0.7)",
    dog: "rgba(108, 117, 125, 0.7)",
};
// a customer in another quadrant in the run before: a dark ring around his bubble
const MOVER_BORDER = { color: "rgba(33, 37, 41, 0.95)", width: 3 };

/** Draws the quadrant lines at the run's thresholds. */
const thresholdLines = {
    id: "crmPortfolioThresholds",
    afterDraw(chart, args, options) {
        const { ctx, chartArea, scales } = chart;
        ctx.save();
        ctx.strokeStyle = "rgba(220, 53, 69, 0.8)";
        ctx.setLineDash([6, 4]);
        const x = scales.x.getPixelForValue(options.share);
        const y = scales.y.getPixelForValue(options.growth);
        ctx.beginPath();
        ctx.moveTo(x, chartArea.top);
        ctx.lineTo(x, chartArea.bottom);
        ctx.moveTo(chartArea.left, y);
        ctx.lineTo(chartArea.right, y);
        ctx.stroke();
        ctx.restore();
    },
};

export class PortfolioMatrix extends Component {
    static template = "crm_relationship.PortfolioMatrix";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.canvasRef = useRef("canvas");
        this.state = useState({
            analyses: [],
            analysisId: false,
            data: null,
            users: [],
            teams: [],
            tags: [],
            userId: "",
            teamId: "",
            tagId: "",
            moversOnly: false,
            drawn: false,
        });
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            const [analyses, users, teams, tags] = await Promise.all([
                this.orm.searchRead("crm.portfolio.analysis", [["state", "=", "done"]], ["display_name", "date"], {
                    order: "date desc, id desc",
                }),
                this.orm.searchRead("res.users", [["share", "=", false]], ["display_name"], { order: "name" }),
                this.orm.searchRead("crm.team", [], ["display_name"], { order: "name" }),
                this.orm.searchRead("res.partner.category", [], ["display_name"], { order: "name" }),
            ]);
            Object.assign(this.state, { analyses, users, teams, tags });
            const requested = this.props.action?.params?.analysis_id;
            this.state.analysisId = requested || (analyses[0] && analyses[0].id) || false;
            await this.loadData();
        });
        onMounted(() => this.renderChart());
        onWillUnmount(() => this.chart?.destroy());
    }

    async loadData() {
        if (!this.state.analysisId) {
            this.state.data = null;
            return;
        }
        const ids = (value) => (value ? [parseInt(value)] : []);
        this.state.data = await this.orm.call("crm.portfolio.analysis", "get_matrix_data", [[this.state.analysisId]], {
            user_ids: ids(this.state.userId),
            team_ids: ids(this.state.teamId),
            tag_ids: ids(this.state.tagId),
            movers_only: this.state.moversOnly,
        });
    }

    async onFilterChange(field, ev) {
        this.state[field] = field === "analysisId" ? parseInt(ev.target.value) : ev.target.value;
        await this.loadData();
        this.renderChart();
    }

    async onMoversOnlyChange(ev) {
        this.state.moversOnly = ev.target.checked;
        await this.loadData();
        this.renderChart();
    }

    quadrantColor(quadrant) {
        return QUADRANT_COLORS[quadrant];
    }

    formatCount(count) {
        // grouped as the user's language groups digits: "20,036", "20 036"
        return formatInteger(count || 0);
    }

    formatAmount(amount) {
        const currency = this.state.data?.currency || {};
        const value = Math.round(amount || 0).toLocaleString();
        return currency.position === "before" ? `${currency.symbol} ${value}` : `${value} ${currency.symbol}`;
    }

    chartPoints() {
        const data = this.state.data;
        const growths = data.points.filter((p) => !p.is_new && p.y !== false).map((p) => p.y);
        // customers new in the period have no growth rate: they sit above every other bubble
        const newY = Math.max(data.growth_threshold * 2, ...growths, 0) + 20;
        const maxRevenue = Math.max(...data.points.map((p) => p.revenue), 1);
        return data.points.map((p) => ({
            x: p.x || 0,
            y: p.is_new ? newY : p.y || 0,
            r: 4 + 22 * Math.sqrt(Math.max(p.revenue, 0) / maxRevenue),
            point: p,
        }));
    }

    renderChart() {
        this.chart?.destroy();
        this.chart = null;
        this.state.drawn = false;
        if (!this.state.data || !this.canvasRef.el) {
            return;
        }
        const data = this.state.data;
        const points = this.chartPoints();
        this.chart = new Chart(this.canvasRef.el, {
            type: "bubble",
            data: {
                datasets: [
                    {
                        label: _t("Customers"),
                        data: points,
                        backgroundColor: points.map((p) => QUADRANT_COLORS[p.point.quadrant]),
                        borderColor: points.map((p) =>
                            p.point.previous_quadrant ? MOVER_BORDER.color : QUADRANT_COLORS[p.point.quadrant]
                        ),
                        borderWidth: points.map((p) => (p.point.previous_quadrant ? MOVER_BORDER.width : 1)),
                    },
                ],
            },
            options: {
                maintainAspectRatio: false,
                animation: false,
                scales: {
                    // keep both quadrant lines in view whatever the points
                    x: {
                        title: { display: true, text: _t("Relative value") },
                        min: 0,
                        suggestedMax: Math.max(1, data.share_threshold * 2),
                    },
                    y: { title: { display: true, text: _t("Growth (%)") }, suggestedMin: Math.min(0, -data.growth_threshold) },
                },
                plugins: {
                    legend: { display: false },
                    crmPortfolioThresholds: { share: data.share_threshold, growth: data.growth_threshold },
                    tooltip: {
                        callbacks: {
                            // one sentence per case, with named places: the translator orders them; no
                            // template literal around _t, which the term extraction cannot read
                            label: (context) => this.bubbleLabel(context.raw.point),
                        },
                    },
                },
                onClick: (event, elements) => {
                    if (elements.length) {
                        this.openCustomer(points[elements[0].index].point.partner_id);
                    }
                },
            },
            plugins: [thresholdLines],
        });
        this.state.drawn = true;
    }

    moversMessage() {
        return _t("A dark ring: the customer was in another quadrant in the run before (%(count)s moved).", {
            count: this.formatCount(this.state.data.movers),
        });
    }

    bubbleLabel(p) {
        const values = {
            name: p.name,
            quadrant: p.quadrant_label,
            previous: p.previous_quadrant_label,
            revenue: this.formatAmount(p.revenue),
            // the percent sign with the figure: "%" is no placeholder in sprintf
            growth: (p.y || 0).toFixed(1) + " %",
            value: (p.x || 0).toFixed(2),
        };
        if (p.is_new) {
            return p.previous_quadrant
                ? _t("%(name)s: %(quadrant)s (was %(previous)s), %(revenue)s, new, relative value %(value)s", values)
                : _t("%(name)s: %(quadrant)s, %(revenue)s, new, relative value %(value)s", values);
        }
        return p.previous_quadrant
            ? _t("%(name)s: %(quadrant)s (was %(previous)s), %(revenue)s, growth %(growth)s, relative value %(value)s", values)
            : _t("%(name)s: %(quadrant)s, %(revenue)s, growth %(growth)s, relative value %(value)s", values);
    }

    openCustomer(partnerId) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "res.partner",
            res_id: partnerId,
            views: [[false, "form"]],
        });
    }
}

registry.category("actions").add("crm_relationship.portfolio_matrix", PortfolioMatrix);
