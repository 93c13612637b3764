"""Error pages in Chinese. A request too large or with too many fields is told the limit it broke."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponseBadRequest, HttpResponseForbidden
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string

from portal.audit.log import record
from portal.audit.models import AuditAction

# Django reads at most 1,024 bytes of one uploaded part's headers; a Chinese character takes 3 of them.
FILE_NAME_MAX_CHARACTERS = 100


def _megabytes(size):
    return f"{size / (1024 * 1024):g} MB"


def limit_broken(exception):
    if isinstance(exception, RequestDataTooBig):
        return (
            f"提交的表单内容超过 {_megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)} 的上限（附件不计在内），"
            "平台未予处理。"
            "请精简填写的内容后重新提交；长篇材料请作为附件上传。"
        )
    if isinstance(exception, TooManyFieldsSent):
        return f"提交的表单超过 {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} 个字段的上限，平台未予处理。请分次填写保存。"
    if isinstance(exception, TooManyFilesSent):
        return f"一次上传的文件超过 {settings.DATA_UPLOAD_MAX_NUMBER_FILES} 个的上限，平台未予处理。请分次上传。"
    if isinstance(exception, MultiPartParserError):
        return (
            "上传的表单无法解析，平台未予处理：最常见的原因是文件名过长。"
            f"请把文件名改短（不超过 {FILE_NAME_MAX_CHARACTERS} 个汉字）后重新上传。"
        )
    return ""


def bad_request(request, exception):
    page = render_to_string("400.html", {"message": limit_broken(exception)})
    return HttpResponseBadRequest(page)


def permission_denied(request, exception):
    record(AuditAction.PERMISSION_DENIED, request=request, verb=f"无权访问 {request.path}"[:64])
    return HttpResponseForbidden(render_to_string("403.html"))


def csrf_failure(request, reason=""):
    record(AuditAction.PERMISSION_DENIED, request=request, verb=f"CSRF 校验失败 {request.path}"[:64])
    return HttpResponseForbidden(render_to_string("403_csrf.html"))
