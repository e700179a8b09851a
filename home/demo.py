"""Demo content of the home app: the citizens' guides and the home page's featured
procedures. The guides follow the province's published guide for online submission."""

from django.db import transaction
from wagtail.models import Page

from .models import FeaturedProcedure, GuidePage, HomePage
from .pages import ensure_child

FEATURED_TITLES = [
    "Đăng ký khai sinh",
    "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
    "Đăng ký thành lập hộ kinh doanh",
    "Đăng ký kết hôn",
    "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam "
    "cấp hoặc chứng nhận",
    "Đăng ký khai tử",
]

GUIDES = [
    (
        "dich-vu-cong-truc-tuyen-la-gi",
        "Dịch vụ công trực tuyến là gì?",
        "Bốn mức độ dịch vụ công trực tuyến và những gì bạn làm được ở mỗi mức.",
        """<p>Dịch vụ công trực tuyến là dịch vụ hành chính công của cơ quan nhà nước được cung
cấp cho tổ chức, cá nhân trên môi trường mạng. Mỗi dịch vụ gắn với một thủ tục hành chính.</p>
<h2>Mức độ 1</h2><p>Cung cấp đầy đủ thông tin về thủ tục hành chính và các văn bản quy định
về thủ tục đó: trình tự, cách thức, thành phần hồ sơ, thời hạn giải quyết, phí, lệ phí.</p>
<h2>Mức độ 2</h2><p>Như mức độ 1, và cho phép tải về các mẫu đơn, tờ khai để hoàn thiện hồ
sơ. Hồ sơ hoàn thiện được nộp trực tiếp hoặc gửi qua đường bưu điện.</p>
<h2>Mức độ 3</h2><p>Như mức độ 2, và cho phép điền, gửi hồ sơ trực tuyến; việc xử lý hồ sơ
được thực hiện trên môi trường mạng. Lệ phí (nếu có) nộp và kết quả nhận tại cơ quan.</p>
<h2>Mức độ 4</h2><p>Như mức độ 3, và cho phép thanh toán lệ phí trực tuyến; kết quả được
trả trực tuyến, trực tiếp hoặc qua đường bưu điện.</p>""",
    ),
    (
        "dang-ky-tai-khoan",
        "Đăng ký và kích hoạt tài khoản",
        "Một tài khoản dùng cho mọi lần nộp hồ sơ sau này.",
        """<ol><li>Bấm <b>Đăng ký</b> ở góc trên bên phải màn hình.</li>
<li>Nhập đầy đủ họ và tên, email, mật khẩu, số căn cước công dân và số điện thoại di động,
rồi bấm <b>Đăng ký</b>.</li>
<li>Hệ thống gửi tới email của bạn một đường dẫn kích hoạt. Mở thư, bấm vào đường dẫn rồi
bấm <b>Xác nhận và kích hoạt</b>. Đường dẫn có hiệu lực 3 ngày và chỉ dùng được một lần.</li>
<li>Bấm <b>Đăng nhập</b> ở góc trên bên phải, nhập email và mật khẩu.</li></ol>
<p>Lưu ý: tài khoản này dùng cho tất cả các lần tiếp theo. Nếu quên mật khẩu, bấm
<b>Quên mật khẩu?</b> trên trang đăng nhập.</p>""",
    ),
    (
        "nop-ho-so-truc-tuyen",
        "Nộp hồ sơ trực tuyến",
        "Các bước tạo và gửi hồ sơ tới cơ quan giải quyết.",
        """<ol><li>Đăng nhập, chọn <b>Nộp hồ sơ trực tuyến</b> trên menu chính.</li>
<li>Chọn cơ quan, đơn vị nộp hồ sơ (sở, ban, ngành, huyện, xã) và dịch vụ công cần nộp.</li>
<li>Chọn <b>Đăng ký trực tuyến</b>.</li>
<li>Điền đầy đủ thông tin vào mẫu <b>Tiếp nhận hồ sơ</b>, đính kèm tệp cho từng thành phần
hồ sơ, rồi bấm <b>Gửi đi</b> để gửi hồ sơ tới cơ quan xử lý.</li></ol>""",
    ),
    (
        "theo-doi-va-bo-sung-ho-so",
        "Theo dõi và bổ sung hồ sơ",
        "Xem trạng thái hồ sơ và làm gì khi cơ quan yêu cầu bổ sung.",
        """<p>Để xem trạng thái hồ sơ, vào mục <b>Hồ sơ cá nhân</b> ở góc trên bên phải màn hình:
mỗi hồ sơ hiện mã hồ sơ, ngày nộp, trạng thái và ngày hẹn trả kết quả.</p>
<p>Trường hợp hồ sơ chưa đầy đủ hoặc có yêu cầu khác, cơ quan gửi <b>Yêu cầu bổ sung</b>
kèm hướng dẫn chi tiết cho từng giấy tờ cần sửa. Bạn thay tệp theo hướng dẫn và gửi lại;
thời hạn giải quyết tạm dừng trong thời gian chờ bổ sung.</p>""",
    ),
]


@transaction.atomic
def seed_home():
    home = HomePage.objects.get()
    guides = ensure_child(
        home,
        GuidePage,
        "huong-dan",
        title="Hướng dẫn",
        intro="Hướng dẫn sử dụng dịch vụ công trực tuyến dành cho công dân và tổ chức.",
        show_in_menus=True,
    )
    for slug, title, intro, body in GUIDES:
        ensure_child(guides, GuidePage, slug, title=title, intro=intro, body=body)

    featured = [
        Page.objects.filter(title=title, depth__gt=3).live().first() for title in FEATURED_TITLES
    ]
    wanted = [page for page in featured if page]
    current = list(home.featured_procedures.values_list("page_id", flat=True))
    if current != [page.pk for page in wanted]:
        home.featured_procedures = [
            FeaturedProcedure(page=page, sort_order=index) for index, page in enumerate(wanted)
        ]
        home.save_revision().publish()


# The home page features procedures of the catalogue.
AFTER = ("procedures",)


def seed(write, **options):
    """``seed_demo``'s part: the guides and the featured procedures."""
    seed_home()
