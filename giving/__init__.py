"""Giving: the Donate page and the donation block, with bank-transfer details and a VietQR code."""
