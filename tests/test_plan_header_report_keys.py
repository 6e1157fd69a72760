"""The register keys the report to the province needs (SPEC §14), read from a plan document's own
opening and closing by ``plan import``."""

from __future__ import annotations

from automation.plan.header import agency_symbol, parse_signature, province_bodies


def test_nơi_nhận_and_a_deputy_signing_for_the_director():
    tail = [
        "Nơi nhận:",
        "- UBND tỉnh (để báo cáo);",
        "- Lãnh đạo sở;",
        "- Lưu: VT, VP.",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "(Đã ký)",
        "Nguyễn Văn An",
    ]
    found = parse_signature(tail)
    assert found.recipients == ("UBND tỉnh (để báo cáo)", "Lãnh đạo sở", "Lưu: VT, VP")
    assert (found.authority, found.title, found.name) == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An")


def test_the_head_signing_has_no_authority_line():
    found = parse_signature(["Nơi nhận:", "- Như trên;", "GIÁM ĐỐC", "Sái Thị Yến"])
    assert (found.authority, found.title, found.name) == ("", "GIÁM ĐỐC", "Sái Thị Yến")


def test_a_document_without_nơi_nhận_gives_nothing():
    assert parse_signature(["GIÁM ĐỐC", "Sái Thị Yến"]).recipients == ()


def test_the_body_above_a_provincial_department_and_how_the_report_addresses_it():
    assert province_bodies("Sở Giáo dục và Đào tạo tỉnh Hải Dương") == (
        "UBND TỈNH HẢI DƯƠNG",
        "Ủy ban nhân dân tỉnh Hải Dương",
    )
    assert province_bodies("UBND tỉnh Hải Dương") == ("", "")
    assert province_bodies("Sở Nội vụ") == ("", "")


def test_the_symbol_comes_from_the_documents_number():
    assert agency_symbol("45/KH-SNV") == "SNV"
    assert agency_symbol("/KH-SGDĐT") == "SGDĐT"
    assert agency_symbol("") == ""
