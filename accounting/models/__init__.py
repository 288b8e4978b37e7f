"""Money: the club's billing terms, each member's account, invoices and their lines,
payments and how they are allocated, expenses reimbursed to a member."""

from .accounts import Account, BillingSettings, MemberGroup
from .invoices import FlightCharge, Invoice, InvoiceLine
from .payments import Allocation, Expense, Payment
from .rates import AircraftTerms, BillingBasis, InstructorRate

__all__ = ["Account", "AircraftTerms", "Allocation", "BillingBasis", "BillingSettings", "Expense", "FlightCharge",
           "InstructorRate", "Invoice", "InvoiceLine", "MemberGroup", "Payment"]
