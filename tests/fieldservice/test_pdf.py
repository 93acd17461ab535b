import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from aftersales.models import ArchivedDocument
from fieldservice import pdf
from fieldservice.models import FeedbackFormB
from tests.fieldservice import factories as f

pytestmark = pytest.mark.django_db

LABELS_A = [
    "售后服务信息反馈单--A（客户确认）",
    "YD/QR032-A",
    "项目名称",
    "客户信息",
    "姓名",
    "电话",
    "地点",
    "售后服务任务",
    "售后经理签字",
    "预计工作时间",
    "服务内容",
    "工作内容及遗留问题",
    "本公司服务人员签名",
    "以下用户",
    "签字确认",
    "是否完成了用户要求的工作",
    "完成的效果",
    "很好",
    "不太满意",
    "售后服务人员工作效率",
    "售后服务人员工作态度",
    "良好",
    "较差",
    "是否对用户作了必要的培训",
    "没有",
    "服务人员到离现场时间",
    "到达",
    "离开",
    "客户负责人验收确认及意见建议",
    "单位名称盖章",
    "验收负责人（签字）",
    "该单备档：售后服务部",
    "验收负责人签字处必须由客户负责人亲自签字，严禁调试人员自己填写或是找人代签",
]
LABELS_B = [
    "售后服务信息反馈单--B（公司考核）",
    "YD/QR032-B",
    "项目名称",
    "服务时间",
    "共计",
    "本次服务费用",
    "本公司产品",
    "型号、数量",
    "现场调试投运",
    "投运日期",
    "用户反映的情况",
    "现场查到情况",
    "处理办法、过程、结果",
    "若有返修情况必须注明产品编号",
    "遗留问题及",
    "拟解决方案",
    "销售信息",
    "是、否有后续项目",
    "联系人",
    "填表人部门",
    "售后人员签字",
    "部门经理意见",
    "公司领导审批",
    "除“销售信息”外其余项目为必填",
    "不予报销差旅费",
    "此表也作为售后人员工作考核依据",
]


def text_of(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def has_cjk_font(data: bytes) -> bool:
    reader = PdfReader(BytesIO(data))
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            if "CJK" in str(ref.get_object().get("/BaseFont", "")):
                return True
    return False


def assert_labels(text, labels):
    missing = [label for label in labels if re.sub(r"\s+", "", label) not in text]
    assert not missing, missing


def test_blank_forms_have_every_label_and_cjk_font():
    for which, labels in (("a", LABELS_A), ("b", LABELS_B)):
        data = pdf.render_blank_pdf(which)
        assert data.startswith(b"%PDF")
        assert_labels(text_of(data), labels)
        assert has_cjk_font(data)


def test_filled_form_a(users):
    form = f.customer_signed_form(users)
    data = pdf.render_form_a_pdf(form)
    text = text_of(data)
    assert_labels(text, LABELS_A)
    assert form.job.number in text and "李客户" in text and "完成安装调试" in text
    assert "客户在服务人员平板上亲自签字" in text
    assert has_cjk_font(data)


def test_filled_form_b_and_pair_archive(users, django_capture_on_commit_callbacks):
    job = f.on_site_job(users)
    with django_capture_on_commit_callbacks(execute=True):
        f.customer_signed_form(users, job)
        f.approved_form_b(users, job)
    form_b = FeedbackFormB.objects.get(job=job)
    text = text_of(pdf.render_form_b_pdf(form_b))
    assert_labels(text, LABELS_B)
    assert "场地具备条件" in text and "批准" in text
    doc = ArchivedDocument.objects.get(kind=pdf.ARCHIVE_KIND)
    with doc.file.open("rb") as fh:
        archived = fh.read()
    pair_text = text_of(archived)
    assert_labels(pair_text, LABELS_A + LABELS_B)
    assert has_cjk_font(archived)
    # The code under the QR code, as text: typed at /verify/ it leads to this archive's check.
    assert "验证码" in pair_text and str(job.verify_code) in pair_text.replace("\n", "")


def test_support_request_and_trip_record(users):
    job = f.travelling_job(users)
    req = job.support_requests.get()
    text = text_of(pdf.render_support_pdf(req))
    for label in ("市场支持申请单", "总经理审批", "同意", req.number, "预计费用"):
        assert label in text
    text = text_of(pdf.render_trip_pdf(job))
    for label in (
        "售后*市场支持（出差人员）记录表",
        "出差人员",
        "出发时间",
        "目的地",
        "出差事由",
        "预计返回",
        "预计出差所需时间",
    ):
        assert label in text


def test_form_a_names_a_registered_signer_as_such(users):
    text = text_of(pdf.render_form_a_pdf(f.customer_signed_form(users)))
    assert "签字人：已登记联系人" in text and "待售后核实" not in text


def test_form_a_flags_a_signer_who_is_not_a_registered_contact(users):
    from fieldservice import services

    form = f.customer_signed_form(users, registered=False, position="设备科科长")
    text = text_of(pdf.render_form_a_pdf(form))
    assert "职务：设备科科长" in text and "签字人未在客户登记联系人中，待售后核实" in text
    assert "已登记联系人" not in text.replace("未在客户登记联系人中", "")
    form = services.form_a_verify_signer(pk=form.pk, by=users["as_manager"], note="电话核实")
    text = text_of(pdf.render_form_a_pdf(form))
    assert "签字人未在客户登记联系人中，已由as_manager于" in text and "核实：电话核实" in text
