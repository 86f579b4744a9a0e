{
    "name": "Key Accounts",
    "summary": "Key-account selection and plans with objectives measured on real orders, account teams, "
    "stakeholder maps and reviews",
    "version": "18.0.1.3.0",
    "category": "Sales/CRM",
    "license": "AGPL-3",
    "author": "CRM Relationship Suite",
    "website": "https://github.com/crm-relationship-suite/crm-relationship-suite",
    "depends": ["crm_relationship", "spreadsheet_dashboard"],
    "data": [
        "security/crm_key_accounts_security.xml",
        "security/ir.model.access.csv",
        "data/crm_key_accounts_data.xml",
        "report/crm_key_account_plan_report.xml",
        "views/crm_key_account_plan_views.xml",
        "views/crm_key_account_objective_views.xml",
        "views/crm_key_account_review_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/crm_key_account_selection_views.xml",
        "views/res_partner_views.xml",
        "views/crm_key_accounts_menus.xml",
        "data/crm_key_accounts_dashboard.xml",
        "data/crm_datacard_data.xml",
    ],
    "demo": ["demo/crm_key_accounts_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "crm_key_accounts/static/tests/tours/*",
        ],
    },
    "application": True,
    "installable": True,
}
