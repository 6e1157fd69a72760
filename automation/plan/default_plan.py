"""The default register (SPEC §4): the plan of seed ``000_4221608ed0af568e.txt``.

Sở Nội vụ tỉnh Hải Dương, plan carrying out Kế hoạch 726/KH-UBND. Task texts are the seed's own words with
the PDF's line breaks and page number removed (``normalize.clean_phrase``); the deadlines are what
``dates.parse_deadline_words`` makes of the timeline words. ``baocao init`` writes this as ``ke-hoach.xlsx``.
"""

from __future__ import annotations

from automation.domain.dates import parse_deadline_words
from automation.domain.model import Plan, Task, Unit

PLAN_ID = "KH-SNV-726"
PLAN_TITLE = (
    "Tổ chức thực hiện Kế hoạch số 726/KH-UBND ngày 20/02/2025 của UBND tỉnh về thực hiện Nghị quyết "
    "số 03/NQ-CP ngày 09/01/2025 của Chính phủ và Chương trình hành động số 113-CTr/TU ngày 18/02/2025 "
    "của Tỉnh ủy thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển "
    "khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia trên địa bàn tỉnh Hải Dương"
)

UNITS = (
    Unit(
        "TDKT", "Ban Thi đua - Khen thưởng", ("Ban TĐKT", "Ban Thi đua Khen thưởng", "Thi đua - Khen thưởng")
    ),
    Unit(
        "TCBC",
        "Phòng Tổ chức biên chế và Cải cách hành chính",
        (
            "Phòng TCBC và CCHC",
            "Phòng TCBC",
            "Phòng Tổ chức biên chế",
            "Tổ chức biên chế và Cải cách hành chính",
        ),
    ),
    Unit("VP", "Văn phòng Sở", ("Văn phòng", "VP Sở", "Văn phòng Sở Nội vụ")),
    Unit(
        "CCVC",
        "Phòng Công chức, viên chức",
        ("Phòng CCVC", "Phòng Công chức viên chức", "Công chức, viên chức"),
    ),
)

# code, group, content, lead, coordinating, the plan's words
_TASKS: tuple[tuple[str, str, str, str, str, str], ...] = (
    (
        "1.1",
        "1. Nâng cao nhận thức, đột phá về đổi mới tư duy, xác định quyết tâm chính trị mạnh mẽ, quyết liệt lãnh đạo, chỉ đạo",
        "Tham mưu phát động phong trào thi đua trong toàn tỉnh để phát huy sức mạnh tổng hợp của cả hệ thống chính trị, sự tham gia tích cực của cộng đồng doanh nghiệp, doanh nhân và Nhân dân trên địa bàn tỉnh thực hiện thắng lợi Kế hoạch",
        "TDKT",
        "các phòng, ban chuyên môn, các đơn vị trực thuộc sở; các sở, ban, ngành tỉnh; UBND các huyện, thị xã, thành phố",
        "Hoàn thành trong tháng 3/2025",
    ),
    (
        "1.2",
        "1. Nâng cao nhận thức, đột phá về đổi mới tư duy, xác định quyết tâm chính trị mạnh mẽ, quyết liệt lãnh đạo, chỉ đạo",
        "Rà soát đề xuất biểu dương, tôn vinh, khen thưởng, động viên kịp thời các nhà khoa học, nhà sáng chế, các doanh nghiệp, tổ chức, cá nhân có thành tích trong phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
        "TDKT",
        "các phòng, ban chuyên môn, các đơn vị trực thuộc sở; các sở, ban, ngành tỉnh; UBND các huyện, thị xã, thành phố",
        "Thực hiện thường xuyên",
    ),
    (
        "2.1",
        "2. Hoàn thiện thể chế; tạo lợi thế cạnh tranh trong phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
        "Rà soát, tham mưu sắp xếp tổ chức bộ máy, chức năng, nhiệm vụ, quyền hạn của các cơ quan nhà nước ở địa phương để đảm bảo thống nhất, nâng cao hiệu quả quản lý nhà nước về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số theo Kết luận của Tỉnh ủy về thực hiện Nghị quyết số 18-NQ/TW",
        "TCBC",
        "các phòng, ban chuyên môn thuộc sở; các sở, ban, ngành tỉnh; UBND các huyện, thị xã, thành phố",
        "Hoàn thành trong tháng 3/2025",
    ),
    (
        "2.2",
        "2. Hoàn thiện thể chế; tạo lợi thế cạnh tranh trong phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
        "Rà soát, điều chỉnh các quy trình nội bộ để phù hợp xử lý trên môi trường điện tử; thực hiện các biện pháp, giải pháp linh hoạt sáng tạo, hiệu quả cho phép sử dụng các văn bản điện tử tích hợp trên tài khoản định danh điện tử thay thế với giấy tờ khi thực hiện các thủ tục hành chính; cắt giảm các thành phần hồ sơ khi dữ liệu đã được số hóa",
        "VP",
        "các phòng, ban chuyên môn thuộc sở",
        "Hoàn thành trong tháng 5/2025 và thực hiện thường xuyên",
    ),
    (
        "3.1",
        "3. Phát triển dịch vụ công, nâng cao hiệu quả giải quyết thủ tục hành chính trên môi trường điện tử",
        "Tái cấu trúc quy trình để cắt giảm, không yêu cầu người dân phải nộp lại những giấy tờ khi dữ liệu đã được số hóa, nghiên cứu đưa vào tái sử dụng phục vụ cắt giảm các thủ tục hành chính về cư trú trên tinh thần huyện, xã, phường nào đã hoàn thành đưa vào sử dụng ngay",
        "VP",
        "các phòng, ban chuyên môn thuộc sở",
        "Hoàn thành trong tháng 6/2025",
    ),
    (
        "3.2",
        "3. Phát triển dịch vụ công, nâng cao hiệu quả giải quyết thủ tục hành chính trên môi trường điện tử",
        "Đảm bảo 100% thủ tục hành chính liên quan đến doanh nghiệp được thực hiện trực tuyến, thông suốt, hiệu quả; 100% thủ tục hành chính không bị giới hạn bởi địa giới hành chính cấp tỉnh hoàn thành trong tháng 5/2025",
        "VP",
        "các phòng, ban chuyên môn thuộc sở",
        "Hoàn thành trong tháng 5/2025",
    ),
    (
        "3.3",
        "3. Phát triển dịch vụ công, nâng cao hiệu quả giải quyết thủ tục hành chính trên môi trường điện tử",
        "Đẩy mạnh số hoá, kết nối, chia sẻ, khai thác dữ liệu phục vụ giải quyết thủ tục hành chính không phụ thuộc các ngành, trọng tâm là lĩnh vực cán bộ, công chức",
        "CCVC",
        "các phòng, ban chuyên môn thuộc sở",
        "Hoàn thành trong tháng 5/2025",
    ),
    (
        "3.4",
        "3. Phát triển dịch vụ công, nâng cao hiệu quả giải quyết thủ tục hành chính trên môi trường điện tử",
        "Điều chỉnh quy trình nghiệp vụ, công dân không phải xuất trình giấy tờ, bản sao y, công chứng trước khi thực hiện thủ tục hành chính theo Luật Giao dịch điện tử",
        "VP",
        "các phòng, ban chuyên môn thuộc sở",
        "Hoàn thành trong tháng 5/2025 và thực hiện thường xuyên",
    ),
    (
        "4.1",
        "4. Phát triển, trọng dụng nhân lực chất lượng cao, nhân tài đáp ứng yêu cầu phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số; Tập trung nguồn lực đâu tư phục vụ chuyển đôi số",
        "Tham mưu xây dựng, ban hành, tổ chức thực hiện Kế hoạch đào tạo, bồi dưỡng cho cán bộ, công chức, viên chức kiến thức về khoa học, công nghệ, đổi mới sáng tạo, kỹ năng số, công nghệ số cơ bản phục vụ chuyển đổi số",
        "CCVC",
        "các phòng, ban chuyên môn thuộc sở",
        "Hoàn thành trong tháng 6/2025",
    ),
    (
        "4.2",
        "4. Phát triển, trọng dụng nhân lực chất lượng cao, nhân tài đáp ứng yêu cầu phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số; Tập trung nguồn lực đâu tư phục vụ chuyển đôi số",
        "Nghiên cứu, tham mưu ban hành chính sách đặc thù thu hút, tuyển dụng, đãi ngộ nhân lực có trình độ cao về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số làm việc tại các cơ quan nhà nước, đảm bảo đủ về số lượng, chất lượng, phù hợp nhu cầu của tỉnh, các chuyên gia, nhà khoa học về làm việc tại tỉnh theo các lĩnh vực, ngành nghề tỉnh có nhu cầu",
        "CCVC",
        "các phòng, ban chuyên môn thuộc sở",
        "Hoàn thành trong tháng 7/2025",
    ),
    (
        "4.3",
        "4. Phát triển, trọng dụng nhân lực chất lượng cao, nhân tài đáp ứng yêu cầu phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số; Tập trung nguồn lực đâu tư phục vụ chuyển đôi số",
        'Rà soát, bố trí tỷ lệ cán bộ có chuyên môn, kinh nghiệm về khoa học kỹ thuật trong đội ngũ lãnh đạo từng cơ quan, đơn vị nhà nước, hướng tới tối thiểu đạt 25%; xây dựng chương trình, kế hoạch phát động phong trào học tập trên các nền tảng số để trở thành phong trào "học tập số" thường xuyên, liên tục, phổ cập, nâng cao kiến thức về khoa học, công nghệ, đổi mới sáng tạo, kỹ năng số, công nghệ số cơ bản trong cán bộ, công chức và nhân dân; cụ thể hóa nhiệm vụ chuyển đổi số, phát triển khoa học, công nghệ, đổi mới sáng tạo trong chương trình, kế hoạch công tác hằng năm của cơ quan, tổ chức, đơn vị; phát động phong trào phát minh, sáng chế, cải tiến kỹ thuật, sáng kiến nâng cao hiệu quả công tác, hiệu suất công việc trong mọi cơ quan, tổ chức và doanh nghiệp',
        "CCVC",
        "các phòng, ban chuyên môn thuộc sở",
        "Hoàn thành trong tháng 6/2025",
    ),
)


def _task(code: str, group: str, content: str, lead: str, coordinating: str, words: str) -> Task:
    meaning = parse_deadline_words(words)
    return Task(
        code=code,
        group=group,
        content=content,
        lead=lead,
        coordinating=coordinating,
        deadline=meaning.deadline,
        recurring=meaning.recurring,
        words=words,
    )


def default_plan() -> Plan:
    """The plan ``baocao init`` ships, as data."""
    return Plan(
        id=PLAN_ID,
        title=PLAN_TITLE,
        number="/KH-SNV",
        issuer="Sở Nội vụ tỉnh Hải Dương",
        signed_on=None,
        submit_before_day=16,
        ubnd_before_day=18,
        coordinator="CCVC",
        units=UNITS,
        tasks=tuple(_task(*row) for row in _TASKS),
        parent_body="UBND TỈNH HẢI DƯƠNG",
        agency_symbol="SNV",
        place="Hải Dương",
        addressee="Ủy ban nhân dân tỉnh Hải Dương",
        recipients=(
            "UBND tỉnh (để báo cáo)",
            "Sở Khoa học và Công nghệ",
            "Lãnh đạo sở",
            "Trưởng các phòng, ban, đơn vị thuộc sở",
            "Lưu: VT, VP",
        ),
        signer_title="GIÁM ĐỐC",
        signer_name="Sái Thị Yến",
        upper_plan="KH-UBND-726",  # the plan it carries out, named as ``plan import`` names it (SPEC §16)
    )
