"""Vietnamese names of IATI codes, one table per codelist.

The codelists carry English (and often French) names only. These tables give the Vietnamese
names an editor or a reader of the Vietnamese site sees; a code missing from a table is shown
in English. They live here rather than in the .po catalogues because they are data keyed by code,
not sentences of the interface.
"""

# DAC 5-digit purpose codes (Sector, vocabulary 1) that Vietnamese non-profits report most.
SECTOR = {
    # Education
    "11110": "Chính sách và quản lý hành chính giáo dục",
    "11220": "Giáo dục tiểu học",
    "11231": "Kỹ năng sống cơ bản cho thanh niên",
    "11240": "Giáo dục mầm non",
    "11320": "Giáo dục trung học phổ thông",
    "11330": "Đào tạo nghề",
    "11420": "Giáo dục đại học",
    # Health
    "12110": "Chính sách và quản lý hành chính y tế",
    "12220": "Chăm sóc sức khỏe cơ bản",
    "12240": "Dinh dưỡng cơ bản",
    "12250": "Phòng, chống bệnh truyền nhiễm",
    "12261": "Giáo dục sức khỏe",
    "12263": "Phòng, chống bệnh lao",
    "12281": "Phát triển nhân lực y tế",
    "12310": "Phòng, chống bệnh không lây nhiễm (chung)",
    "12330": "Phòng, chống tác hại của rượu, bia và ma túy",
    "12340": "Nâng cao sức khỏe tâm thần và đời sống tinh thần",
    # Population policies and reproductive health
    "13010": "Chính sách dân số và quản lý hành chính",
    "13020": "Chăm sóc sức khỏe sinh sản",
    "13030": "Kế hoạch hóa gia đình",
    "13040": "Phòng, chống các bệnh lây truyền qua đường tình dục, kể cả HIV/AIDS",
    "13081": "Phát triển nhân lực về dân số và sức khỏe sinh sản",
    # Water and sanitation
    "14030": "Cấp nước sinh hoạt và vệ sinh cơ bản",
    "14031": "Cấp nước sinh hoạt cơ bản",
    "14032": "Vệ sinh cơ bản",
    # Government and civil society
    "15110": "Chính sách khu vực công và quản lý hành chính",
    "15112": "Phân cấp và hỗ trợ chính quyền địa phương",
    "15130": "Phát triển pháp luật và tư pháp",
    "15150": "Tham gia dân chủ và xã hội dân sự",
    "15160": "Quyền con người",
    "15170": "Tổ chức, phong trào vì quyền của phụ nữ và cơ quan nhà nước về bình đẳng giới",
    "15180": "Chấm dứt bạo lực đối với phụ nữ và trẻ em gái",
    "15190": "Tạo thuận lợi cho di cư và dịch chuyển trật tự, an toàn, hợp pháp, có trách nhiệm",
    "15250": "Rà phá bom mìn và vật liệu nổ còn sót lại sau chiến tranh",
    # Other social infrastructure and services
    "16010": "An sinh xã hội",
    "16015": "Dịch vụ xã hội (kể cả phát triển thanh niên, phụ nữ và trẻ em)",
    "16020": "Tạo việc làm",
    "16061": "Văn hóa và giải trí",
    "16063": "Phòng, chống ma túy",
    "16064": "Giảm nhẹ tác động xã hội của HIV/AIDS",
    "16070": "Quyền của người lao động",
    "16080": "Đối thoại xã hội",
    # Banking and business
    "24040": "Tổ chức tài chính phi chính thức và bán chính thức (tài chính vi mô)",
    "25030": "Dịch vụ phát triển kinh doanh",
    "32130": "Phát triển doanh nghiệp nhỏ và vừa",
    # Agriculture, forestry and fishing
    "31120": "Phát triển nông nghiệp",
    "31163": "Chăn nuôi",
    "31166": "Khuyến nông",
    "31194": "Hợp tác xã nông nghiệp",
    "31220": "Phát triển lâm nghiệp",
    "31320": "Phát triển thủy sản",
    # Environment
    "41010": "Chính sách môi trường và quản lý hành chính",
    "41030": "Đa dạng sinh học",
    "41081": "Giáo dục, đào tạo về môi trường",
    # Multisector
    "43030": "Phát triển và quản lý đô thị",
    "43040": "Phát triển nông thôn",
    "43060": "Giảm nhẹ rủi ro thiên tai",
    "43072": "Chương trình an ninh lương thực hộ gia đình",
    # Humanitarian aid
    "72040": "Hỗ trợ lương thực khẩn cấp",
    "73010": "Tái thiết và phục hồi ngay sau tình huống khẩn cấp",
    "74020": "Chuẩn bị ứng phó với nhiều loại thiên tai, thảm họa",
    # Unallocated
    "99810": "Lĩnh vực không xác định",
}

ACTIVITY_STATUS = {
    "1": "Đang xác định, chuẩn bị",
    "2": "Đang thực hiện",
    "3": "Đang hoàn tất",
    "4": "Đã kết thúc",
    "5": "Đã hủy",
    "6": "Tạm dừng",
}

ACTIVITY_DATE_TYPE = {
    "1": "Ngày bắt đầu dự kiến",
    "2": "Ngày bắt đầu thực tế",
    "3": "Ngày kết thúc dự kiến",
    "4": "Ngày kết thúc thực tế",
}

ORGANISATION_ROLE = {
    "1": "Tài trợ",
    "2": "Chủ quản (chịu trách nhiệm)",
    "3": "Quản lý nguồn tài trợ",
    "4": "Thực hiện",
}

ORGANISATION_TYPE = {
    "10": "Chính phủ",
    "11": "Chính quyền địa phương",
    "15": "Khu vực công khác",
    "21": "Tổ chức phi chính phủ quốc tế",
    "22": "Tổ chức phi chính phủ quốc gia",
    "23": "Tổ chức phi chính phủ khu vực",
    "24": "Tổ chức phi chính phủ tại nước nhận viện trợ",
    "30": "Hợp tác công tư",
    "40": "Tổ chức đa phương",
    "60": "Quỹ",
    "70": "Khu vực tư nhân",
    "71": "Khu vực tư nhân tại nước tài trợ",
    "72": "Khu vực tư nhân tại nước nhận viện trợ",
    "73": "Khu vực tư nhân tại nước thứ ba",
    "80": "Học thuật, đào tạo và nghiên cứu",
    "90": "Khác",
}

POLICY_MARKER = {
    "1": "Bình đẳng giới",
    "2": "Hỗ trợ môi trường",
    "3": "Phát triển có sự tham gia, quản trị tốt",
    "4": "Phát triển thương mại",
    "5": "Hỗ trợ các mục tiêu của Công ước về Đa dạng sinh học",
    "6": "Hỗ trợ các mục tiêu của Công ước khung về Biến đổi khí hậu – Giảm nhẹ",
    "7": "Hỗ trợ các mục tiêu của Công ước khung về Biến đổi khí hậu – Thích ứng",
    "8": "Hỗ trợ các mục tiêu của Công ước về Chống sa mạc hóa",
    "9": "Sức khỏe sinh sản, bà mẹ, trẻ sơ sinh và trẻ em (RMNCH)",
    "10": "Giảm nhẹ rủi ro thiên tai (DRR)",
    "11": "Người khuyết tật",
    "12": "Dinh dưỡng",
}

POLICY_SIGNIFICANCE = {
    "0": "Không nhắm tới",
    "1": "Mục tiêu quan trọng",
    "2": "Mục tiêu chính",
    "3": "Mục tiêu chính và hỗ trợ một chương trình hành động",
    "4": "Mục tiêu hàng đầu được nêu rõ",
}

DOCUMENT_CATEGORY = {
    "A01": "Đánh giá tác động trước và sau dự án",
    "A02": "Mục tiêu, mục đích của hoạt động",
    "A03": "Đối tượng thụ hưởng cuối cùng dự kiến",
    "A04": "Điều kiện",
    "A05": "Ngân sách",
    "A06": "Thông tin tóm tắt về hợp đồng",
    "A07": "Rà soát tiến độ và đánh giá dự án",
    "A08": "Kết quả, thành quả và đầu ra",
    "A09": "Biên bản ghi nhớ (nếu các bên đồng ý công khai)",
    "A10": "Hồ sơ mời thầu",
    "A11": "Hợp đồng",
    "A12": "Trang web của hoạt động",
    "B01": "Báo cáo thường niên",
    "B02": "Chiến lược của tổ chức",
    "B03": "Chiến lược quốc gia",
    "B04": "Chính sách phân bổ viện trợ",
    "B05": "Chính sách và quy trình mua sắm",
    "B06": "Báo cáo kiểm toán của tổ chức",
    "B07": "Báo cáo kiểm toán quốc gia",
    "B08": "Chính sách loại trừ",
    "B09": "Báo cáo đánh giá của tổ chức",
    "B10": "Báo cáo đánh giá quốc gia",
    "B11": "Chiến lược ngành",
    "B12": "Chiến lược chuyên đề",
    "B13": "Biên bản ghi nhớ cấp quốc gia",
    "B14": "Chính sách đánh giá",
    "B15": "Điều khoản và điều kiện chung",
    "B16": "Trang web của tổ chức",
    "B17": "Trang web quốc gia, khu vực",
    "B18": "Trang web ngành",
}

INDICATOR_MEASURE = {
    "1": "Đơn vị (số lượng)",
    "2": "Tỷ lệ phần trăm",
    "3": "Thang định danh",
    "4": "Thang thứ bậc",
    "5": "Định tính",
}

RESULT_TYPE = {
    "1": "Đầu ra",
    "2": "Kết quả",
    "3": "Tác động",
    "9": "Khác",
}

BUDGET_TYPE = {
    "1": "Ban đầu",
    "2": "Điều chỉnh",
}

BUDGET_STATUS = {
    "1": "Dự kiến",
    "2": "Đã cam kết",
}

CURRENCY = {
    "VND": "Đồng Việt Nam",
    "USD": "Đô la Mỹ",
    "EUR": "Euro",
    "CAD": "Đô la Canada",
    "NOK": "Krone Na Uy",
}

LANGUAGE = {
    "vi": "Tiếng Việt",
    "en": "Tiếng Anh",
}

COUNTRY = {
    "VN": "Việt Nam",
}

GEOGRAPHIC_EXACTNESS = {
    "1": "Chính xác",
    "2": "Gần đúng",
}

# The goals as Viet Nam's national SDGs word them (Quyết định 622/QĐ-TTg of 10 May 2017, the
# national action plan for the 2030 Agenda, kept in Quyết định 841/QĐ-TTg of 14 July 2023).
UNSDG_GOALS = {
    "1": "Mục tiêu 1. Chấm dứt mọi hình thức nghèo ở mọi nơi",
    "2": (
        "Mục tiêu 2. Xóa đói, bảo đảm an ninh lương thực, cải thiện dinh dưỡng và thúc đẩy phát "
        "triển nông nghiệp bền vững"
    ),
    "3": (
        "Mục tiêu 3. Bảo đảm cuộc sống khỏe mạnh và tăng cường phúc lợi cho mọi người ở mọi lứa "
        "tuổi"
    ),
    "4": (
        "Mục tiêu 4. Đảm bảo nền giáo dục có chất lượng, công bằng, toàn diện và thúc đẩy các cơ "
        "hội học tập suốt đời cho tất cả mọi người"
    ),
    "5": (
        "Mục tiêu 5. Đạt được bình đẳng về giới, tăng quyền và tạo cơ hội cho phụ nữ và trẻ em gái"
    ),
    "6": (
        "Mục tiêu 6. Đảm bảo đầy đủ và quản lý bền vững tài nguyên nước và hệ thống vệ sinh cho "
        "tất cả mọi người"
    ),
    "7": (
        "Mục tiêu 7. Đảm bảo khả năng tiếp cận nguồn năng lượng bền vững, đáng tin cậy và có khả "
        "năng chi trả cho tất cả mọi người"
    ),
    "8": (
        "Mục tiêu 8. Đảm bảo tăng trưởng kinh tế bền vững, toàn diện, liên tục; tạo việc làm đầy "
        "đủ, năng suất và việc làm tốt cho tất cả mọi người"
    ),
    "9": (
        "Mục tiêu 9. Xây dựng cơ sở hạ tầng có khả năng chống chịu cao, thúc đẩy công nghiệp hóa "
        "bao trùm và bền vững, tăng cường đổi mới"
    ),
    "10": "Mục tiêu 10. Giảm bất bình đẳng trong xã hội",
    "11": (
        "Mục tiêu 11. Phát triển đô thị, nông thôn bền vững, có khả năng chống chịu; đảm bảo môi "
        "trường sống và làm việc an toàn; phân bổ hợp lý dân cư và lao động theo vùng"
    ),
    "12": "Mục tiêu 12. Đảm bảo sản xuất và tiêu dùng bền vững",
    "13": "Mục tiêu 13. Ứng phó kịp thời, hiệu quả với biến đổi khí hậu và thiên tai",
    "14": (
        "Mục tiêu 14. Bảo tồn và sử dụng bền vững đại dương, biển và nguồn lợi biển để phát triển "
        "bền vững"
    ),
    "15": (
        "Mục tiêu 15. Bảo vệ và phát triển rừng bền vững, bảo tồn đa dạng sinh học, phát triển "
        "dịch vụ hệ sinh thái, chống sa mạc hóa, ngăn chặn suy thoái và phục hồi tài nguyên đất"
    ),
    "16": (
        "Mục tiêu 16. Thúc đẩy xã hội hòa bình, dân chủ, công bằng, bình đẳng, văn minh vì sự "
        "phát triển bền vững, tạo khả năng tiếp cận công lý cho tất cả mọi người; xây dựng các "
        "thể chế hiệu quả, có trách nhiệm giải trình và có sự tham gia ở các cấp"
    ),
    "17": (
        "Mục tiêu 17. Tăng cường phương thức thực hiện và thúc đẩy đối tác toàn cầu vì sự phát "
        "triển bền vững"
    ),
}

# {codelist name: its table}
BY_CODELIST = {
    "Sector": SECTOR,
    "ActivityStatus": ACTIVITY_STATUS,
    "ActivityDateType": ACTIVITY_DATE_TYPE,
    "OrganisationRole": ORGANISATION_ROLE,
    "OrganisationType": ORGANISATION_TYPE,
    "PolicyMarker": POLICY_MARKER,
    "PolicySignificance": POLICY_SIGNIFICANCE,
    "DocumentCategory": DOCUMENT_CATEGORY,
    "IndicatorMeasure": INDICATOR_MEASURE,
    "ResultType": RESULT_TYPE,
    "BudgetType": BUDGET_TYPE,
    "BudgetStatus": BUDGET_STATUS,
    "Currency": CURRENCY,
    "Language": LANGUAGE,
    "Country": COUNTRY,
    "GeographicExactness": GEOGRAPHIC_EXACTNESS,
    "UNSDG-Goals": UNSDG_GOALS,
}
