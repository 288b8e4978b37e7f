"""A member's statement as a PDF, with the same figures as the page (accounting.selectors.statement).

fpdf2's core fonts (Helvetica) encode Latin-1 only: text is made to fit it first (the minus
sign money_display writes, dashes, quotes), and anything else left becomes "?" rather than an
error in the middle of a download."""

from fpdf import FPDF

from accounting.money import money_display
from accounting.selectors import Statement

REPLACEMENTS = {"\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"',
                "\u201d": '"', "\u2026": "...", "\u00a0": " ", "\u202f": " "}
COLUMNS = (("Date", 24), ("Reference", 32), ("Description", 54), ("Debit", 26), ("Credit", 26), ("Balance", 28))
NUMBERS = {"Debit", "Credit", "Balance"}


def latin1(text: str) -> str:
    for char, plain in REPLACEMENTS.items():
        text = text.replace(char, plain)
    return text.encode("latin-1", "replace").decode("latin-1")


class _StatementPDF(FPDF):
    def cell_text(self, width: float, text: str, align: str = "L", bold: bool = False) -> None:
        self.set_font("Helvetica", "B" if bold else "", 9)
        self.cell(width, 6, latin1(text), border="B", align=align)


def statement_pdf(statement: Statement, *, club_name: str, member_name: str, currency: str,
                  compress: bool = True) -> bytes:
    def money(amount) -> str:
        return money_display(amount, currency)

    pdf = _StatementPDF(format="A4")
    pdf.set_compression(compress)
    pdf.set_title(latin1(f"Statement of {member_name}"))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, latin1(f"{club_name}: statement of account"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, latin1(f"{member_name}, {statement.start:%d %b %Y} to {statement.end:%d %b %Y}"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for title, width in COLUMNS:
        pdf.cell_text(width, title, "R" if title in NUMBERS else "L", bold=True)
    pdf.ln()
    pdf.cell_text(sum(w for _, w in COLUMNS[:-1]), f"Opening balance on {statement.start:%d %b %Y}")
    pdf.cell_text(COLUMNS[-1][1], money(statement.opening), "R")
    pdf.ln()
    for row in statement.rows:
        cells = (f"{row.day:%d %b %Y}", row.reference[:20], row.description[:34],
                 money(row.debit) if row.debit else "", money(row.credit) if row.credit else "", money(row.balance))
        for (title, width), text in zip(COLUMNS, cells):
            pdf.cell_text(width, text, "R" if title in NUMBERS else "L")
        pdf.ln()
    pdf.cell_text(sum(w for _, w in COLUMNS[:-1]), f"Closing balance on {statement.end:%d %b %Y}", bold=True)
    pdf.cell_text(COLUMNS[-1][1], money(statement.closing), "R", bold=True)
    pdf.ln(10)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(0, 5, latin1("A positive balance is owed to the club; a negative one is held in credit."))
    pending = [line for invoice in statement.pending for line in invoice.lines.all()]
    if pending:
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 6, "Pending: on the next invoice", new_x="LMARGIN", new_y="NEXT")
        for line in pending:
            pdf.cell_text(136, line.description[:80])
            pdf.cell_text(54, money(line.amount), "R")
            pdf.ln()
    return bytes(pdf.output())
