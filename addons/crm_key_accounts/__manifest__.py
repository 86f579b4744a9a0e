{
    "name": "Key Accounts",
    "summary": "Key-account plans measured against real orders: states of the business relationship, "
    "qualification, account team and sections of the major-client strategy",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "AGPL-3",
    "author": "CRM Relationship Suite",
    "website": "https://github.com/crm-relationship-suite/crm-relationship-suite",
    "depends": ["crm_relationship"],
    "data": [
        "security/crm_key_accounts_security.xml",
        "security/ir.model.access.csv",
        "views/crm_key_account_plan_views.xml",
        "views/res_partner_views.xml",
        "views/crm_key_accounts_menus.xml",
    ],
    "demo": ["demo/crm_key_accounts_demo.xml"],
    "application": True,
    "installable": True,
}
