from . import crm_faq_answer_wizard
