"Every reader rule, with the cases from shared/cases and rows from the real exports."
import warnings
from decimal import Decimal
import pandas as pd
import pytest
from oracle_nb.features import read_transactions, daily_panel, TransactionsError, SPENDING_KINDS, UNCATEGORIZED
from conftest import MINT, HOUSEHOLD, needs_shared

def dates(tx): return tx["date"].dt.strftime("%Y-%m-%d").tolist()
def spend(tx): return tx[tx.kind.isin(SPENDING_KINDS)]

# C01: day/month order decided once for the column
def test_c01_day_first_inferred_from_one_unambiguous_row(write):
    tx = read_transactions(write("Date,Description,Amount\n01/02/2024,RENT STANDING ORDER,-1200.00\n"
                                 "03/02/2024,PHARMACY,-8.99\n13/02/2024,SUPERMARKET,-54.20\n"))
    assert dates(tx) == ["2024-02-01", "2024-02-03", "2024-02-13"]
    assert tx["amount"].tolist() == [1200.0, 8.99, 54.2]

def test_c01_fully_ambiguous_refuses_to_guess(write):
    p = write("Date,Description,Amount\n01/02/2024,RENT,-1200.00\n03/02/2024,PHARMACY,-8.99\n")
    with pytest.raises(TransactionsError) as e: read_transactions(p)
    msg = str(e.value)
    assert "date_format" in msg and "1 Feb 2024 (day-first)" in msg and "2 Jan 2024 (month-first)" in msg
    assert dates(read_transactions(p, date_format="%d/%m/%Y")) == ["2024-02-01", "2024-02-03"]
    assert dates(read_transactions(p, dayfirst=False)) == ["2024-01-02", "2024-03-02"]

def test_c01_unparseable_date_is_a_row_error_with_line_and_value(write):
    p = write("Date,Description,Amount\n13/02/2024,A,-1.00\n31/31/2024,B,-2.00\n14/02/2024,C,-3.00\n")
    with pytest.warns(UserWarning, match="1 row"):
        tx = read_transactions(p)
    assert dates(tx) == ["2024-02-13", "2024-02-14"]
    [rej] = tx.attrs["rejected"]
    assert rej["line"] == 3 and "'31/31/2024'" in rej["reason"]
    with pytest.raises(TransactionsError, match="line 3: date: cannot read '31/31/2024'"):
        read_transactions(p, errors="raise")

# C02: semicolons, decimal comma, dot grouping learned for the column
C02 = ("Buchungstag;Empfaenger;Verwendungszweck;Betrag (EUR)\n03.03.2024;Supermarkt;Kartenzahlung;-1.234,56\n"
       "04.03.2024;Baeckerei;Kartenzahlung;-3,80 €\n05.03.2024;Hausverwaltung;Miete Maerz;-3.000\n"
       "06.03.2024;Arbeitgeber GmbH;Gehalt;2.500,00\n")

def test_c02_semicolon_decimal_comma(write):
    tx = read_transactions(write(C02))
    assert dates(tx) == ["2024-03-03", "2024-03-04", "2024-03-05", "2024-03-06"]
    assert tx["amount"].tolist() == [1234.56, 3.80, 3000.0, -2500.0]   # positive = spent
    assert sum(Decimal(str(-a)) for a in tx["amount"]) == Decimal("-1738.36")
    assert tx["kind"].tolist() == ["expense", "expense", "expense", "income"]
    assert tx["description"].iloc[0] == "Supermarkt"

def test_c02_dots_only_is_ambiguous(write):
    p = write("Buchungstag;Betrag\n13.03.2024;-3.000\n14.03.2024;-12\n")
    with pytest.raises(TransactionsError, match="decimal"): read_transactions(p)
    assert read_transactions(p, decimal=",")["amount"].tolist() == [3000.0, 12.0]
    assert read_transactions(p, decimal=".")["amount"].tolist() == [3.0, 12.0]

# C03: BOM, preamble, legacy encoding
C03 = ('"Girokonto";"DE00 0000 0000 0000 0000 00"\n"Kontostand vom 30.04.2024:";"1.234,00 €"\n""\n'
       '"Buchungsdatum";"Status";"Zahlungsempfaenger";"Betrag (€)"\n'
       '"29.04.24";"Gebucht";"Drogerie";"-12,49"\n"30.04.24";"Vorgemerkt";"Tankstelle";"-60,00"\n')

def test_c03_bom_and_preamble(write):
    tx = read_transactions(write(b"\xef\xbb\xbf" + C03.encode("utf-8")))
    assert dates(tx) == ["2024-04-29", "2024-04-30"]
    assert tx["amount"].tolist() == [12.49, 60.0]
    assert tx["status"].tolist() == ["posted", "pending"]
    assert "header on line 4: ['Buchungsdatum'" in tx.attrs["notes"][0]   # exactly 'Buchungsdatum', no \ufeff
    assert len(tx) == 2   # the balance line is not a transaction

def test_c03_windows_1252_decodes_the_same(write):
    text = C03.replace("Drogerie", "Drogeriemarkt Bäcker")
    a = read_transactions(write(text.encode("utf-8"), "a.csv"))
    b = read_transactions(write(text.encode("cp1252"), "b.csv"))
    assert a["description"].iloc[0] == "Drogeriemarkt Bäcker"
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))

def test_zero_rows_is_an_error(write):
    with pytest.raises(TransactionsError, match="no transaction rows"):
        read_transactions(write("Date,Amount,Category\n"))
    with pytest.raises(TransactionsError, match="0 transactions imported"):
        read_transactions(write("Date,Amount\n2024-01-01,abc\n2024-01-02,\n"))
    with pytest.raises(TransactionsError, match="empty"):
        read_transactions(write(""))

# C04: unsigned amounts with a type column; split debit/credit
def test_c04_mint_type_column(write):
    tx = read_transactions(write(
        "Date,Description,Original Description,Amount,Transaction Type,Category,Account Name,Labels,Notes\n"
        "3/02/2024,Grocery Store,GROCERY STORE 0012,54.20,debit,Groceries,Card,,\n"
        "3/05/2024,Grocery Store,GROCERY STORE 0012,10.00,credit,Groceries,Card,,\n"
        "3/06/2024,Payroll,EMPLOYER PAYROLL,2500.00,credit,Paycheck,Checking,,\n"))
    assert dates(tx) == ["2024-03-02", "2024-03-05", "2024-03-06"]
    assert tx["amount"].tolist() == [54.2, -10.0, -2500.0]    # signed -54.20, +10.00, +2500.00 as money flow
    assert tx["kind"].tolist() == ["expense", "refund", "income"]
    assert spend(tx).groupby("category")["amount"].sum().round(2).to_dict() == {"Groceries": 44.2}

def test_c04_split_debit_credit(write):
    p = write("Date,Narrative,Debit Amount,Credit Amount\n01/03/2024,CARD PURCHASE CAFE,4.50,0.00\n"
              "01/03/2024,SALARY,0.00,2000.00\n02/03/2024,CARD PURCHASE BOOKSHOP,15.00,\n03/03/2024,CAFE REFUND,-4.50,\n")
    with pytest.raises(TransactionsError, match="date_format"): read_transactions(p)   # every day <= 12
    tx = read_transactions(p, dayfirst=True)
    assert len(tx) == 4 and (tx["amount"] != 0).all()
    assert (-tx["amount"]).tolist() == [-4.5, 2000.0, -15.0, 4.5]
    assert tx["kind"].tolist() == ["expense", "income", "expense", "refund"]
    assert dates(tx) == ["2024-03-01", "2024-03-01", "2024-03-02", "2024-03-03"]

# C06: transfers, refunds, blank categories
C06 = """Date,Account,Description,Category,Amount
2024-04-02,Card,SUPERMARKET,Groceries,-120.00
2024-04-05,Card,SUPERMARKET RETURN,Groceries,30.00
2024-04-10,Card,PARKING GARAGE,,-6.00
2024-04-25,Checking,CARD BILL PAYMENT,Credit Card Payment,-96.00
2024-04-25,Card,PAYMENT RECEIVED,Credit Card Payment,96.00
2024-04-28,Checking,TRANSFER TO SAVINGS,Transfer,-500.00
2024-04-30,Checking,SALARY,Income,2500.00
"""

def test_c06_transfers_refunds_blank_category(write):
    tx = read_transactions(write(C06))
    s = spend(tx)
    assert s.groupby("category")["amount"].sum().to_dict() == {"Groceries": 90.0, UNCATEGORIZED: 6.0}
    assert s["amount"].sum() == 96.0
    assert -tx.loc[tx.kind == "income", "amount"].sum() == 2500.0
    panel = daily_panel(tx).set_index(["unique_id", "ds"])["y"]
    assert panel[("user/Groceries", pd.Timestamp("2024-04-02"))] == 120.0
    assert panel[("user/Groceries", pd.Timestamp("2024-04-05"))] == -30.0

def test_c06_only_one_leg_of_a_transfer(write):
    one_leg = "\n".join(l for l in C06.splitlines() if "PAYMENT RECEIVED" not in l) + "\n"
    assert spend(read_transactions(write(one_leg)))["amount"].sum() == 96.0

# Columns, mapping, generic files
def test_unrecognised_file_lists_columns_and_how_to_map(write):
    p = write("Wann;Wert;Wofuer\n13.03.2024;-1,50;Brot\n")
    with pytest.raises(TransactionsError) as e: read_transactions(p)
    assert "Columns found: ['Wann', 'Wert', 'Wofuer']" in str(e.value) and "--columns date=" in str(e.value)
    tx = read_transactions(p, columns={"date": "Wann", "amount": "Wert", "category": "Wofuer"}, amounts="signed")
    assert tx[["amount", "category"]].values.tolist() == [[1.5, "Brot"]]
    with pytest.raises(TransactionsError, match="column 'Nope' given for date is not in the file"):
        read_transactions(p, columns={"date": "Nope", "amount": "Wert"})

def test_generic_signed_csv_with_users_and_category_normalisation(write):
    tx = read_transactions(write("date,amount,category,description,user_id\n2024-01-01,-10,groceries ,shop,ann\n"
                                 "2024-01-02,-5,Groceries,shop,bob\n2024-01-03,-7, Fast Food,burger,ann\n"
                                 "2024-01-04,20,Groceries,return,ann\n"), category_map={"fast food": "Restaurants"})
    assert tx[["user_id", "category", "amount", "kind"]].values.tolist() == [
        ["ann", "Groceries", 10.0, "expense"], ["ann", "Restaurants", 7.0, "expense"],
        ["ann", "Groceries", -20.0, "refund"], ["bob", "Groceries", 5.0, "expense"]]
    assert sorted(daily_panel(tx).unique_id.unique()) == ["ann/Groceries", "ann/Restaurants", "bob/Groceries"]

def test_expense_log_with_positive_amounts_is_spend_convention(write):
    tx = read_transactions(write("date,amount,category\n2024-01-01,10,Food\n2024-01-02,12.5,Food\n2024-01-03,-2,Food\n"))
    assert tx["amount"].tolist() == [10.0, 12.5, -2.0]
    assert any("'spend' chosen" in n for n in tx.attrs["notes"])

def test_non_numeric_amount_is_rejected_with_line(write):
    with pytest.warns(UserWarning):
        tx = read_transactions(write("date,amount,category\n2024-01-01,-10,Food\n2024-01-02,ten,Food\n"))
    assert len(tx) == 1
    assert tx.attrs["rejected"] == [{"line": 3, "reason": "amount: not a number (ten)", "row": "2024-01-02,ten,Food"}]

def test_missing_file():
    with pytest.raises(TransactionsError, match="no such file"): read_transactions("/nonexistent/x.csv")

def test_folder_and_binary_file_are_named(tmp_path):
    with pytest.raises(TransactionsError, match=f"{tmp_path} is a folder; give the path of the CSV export inside it"):
        read_transactions(tmp_path)
    binary = tmp_path / "export.xlsx"
    binary.write_bytes(b"PK\x03\x04\x81\x8d\x00\x01 not a csv")
    with pytest.raises(TransactionsError, match=r"export.xlsx: not a text file .* export the transactions as CSV"):
        read_transactions(binary)

# The real exports (read at run time from ../shared/data)
@needs_shared
def test_real_mint_export():
    tx = read_transactions(MINT)
    assert len(tx) == 806 and tx.attrs["rejected"] == []
    assert (tx.date.min(), tx.date.max()) == (pd.Timestamp("2018-01-01"), pd.Timestamp("2019-09-30"))
    assert tx.kind.value_counts().to_dict() == {"expense": 617, "transfer": 143, "income": 46}
    raw = pd.read_csv(MINT)
    # first data row: 01-01-2018,Amazon,11.11,debit,Shopping,Platinum Card
    first = tx.loc[2]
    assert (first.date, first.amount, first.category, first.kind) == (pd.Timestamp("2018-01-01"), 11.11, "Shopping", "expense")
    # month-first with '-' and '/' mixed: 01-13-2018 style rows never appear, 01/13/2018 rows do
    assert raw["Date"].str.contains("-").sum() == 350
    # both legs of every card payment are transfers: zero spending
    assert spend(tx[tx.category == "Credit Card Payment"]).empty
    g = raw[raw.Category == "Groceries"]
    expected = g.loc[g["Transaction Type"] == "debit", "Amount"].sum() - g.loc[g["Transaction Type"] == "credit", "Amount"].sum()
    assert spend(tx[tx.category == "Groceries"])["amount"].sum() == pytest.approx(expected)

@needs_shared
def test_real_household_ledger():
    tx = read_transactions(HOUSEHOLD)
    assert len(tx) == 2461 and tx.attrs["rejected"] == []
    assert (tx.date.min(), tx.date.max()) == (pd.Timestamp("2015-01-01"), pd.Timestamp("2018-09-20"))
    raw = pd.read_csv(HOUSEHOLD)
    # line 2: 20/09/2018 12:04:08,Cash,Transportation,Train,2 Place 5 to Place 0,30,Expense,INR
    row = tx.loc[2]
    assert (row.date, row.amount, row.category, row.kind) == (pd.Timestamp("2018-09-20"), 30.0, "Transportation", "expense")
    # '12/9/2018' (bare, day-first) falls between 13/09 and 11/09
    assert tx.loc[raw.index[raw.Date == "12/9/2018"][0] + 2, "date"] == pd.Timestamp("2018-09-12")
    assert (tx.loc[raw.index[raw["Income/Expense"] == "Transfer-Out"] + 2, "kind"] == "transfer").all()
    assert (tx.loc[raw.index[raw["Income/Expense"] == "Income"] + 2, "kind"] == "income").all()
    assert "Subscription" in set(tx.category) and "subscription" not in set(tx.category)
    food = raw[(raw.Category == "Food") & (raw["Income/Expense"] == "Expense")]["Amount"].sum()
    assert spend(tx[tx.category == "Food"])["amount"].sum() == pytest.approx(food) == pytest.approx(96403.1)

def test_descriptive_type_column_does_not_decide_direction(write):
    "UK-style exports carry a 'Transaction Type' such as DEB or FPI next to signed amounts."
    tx = read_transactions(write("Transaction Date,Transaction Type,Transaction Description,Amount\n"
                                 "14/03/2024,DEB,CAFE,-4.50\n15/03/2024,FPI,SALARY,2000.00\n16/03/2024,DD,POWER CO,-60.00\n"))
    assert tx["amount"].tolist() == [4.5, -2000.0, 60.0] and tx["kind"].tolist() == ["expense", "income", "expense"]
    assert any("type column ignored" in n for n in tx.attrs["notes"])

def test_category_with_a_slash_keeps_series_ids_unambiguous(write):
    tx = read_transactions(write("date,amount,category\n2024-01-01,-10,Water (jar /tanker)\n2024-01-02,-5,Food\n"))
    ids = sorted(daily_panel(tx).unique_id.unique())
    assert ids == ["user/Food", "user/Water (jar ∕tanker)"] and all(i.count("/") == 1 for i in ids)
