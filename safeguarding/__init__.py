"""Safeguarding: sensitive pages and their quick exit, consent for the people shown in stories,
the private collection of signed consent forms, and public forms that set no cookie."""
