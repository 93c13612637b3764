"""通知三、1: “众创空间名称需规范为：XXX专业化众创空间（XXX为空间所服务的专业细分领域）”."""

import re
import unicodedata

SUFFIX = "专业化众创空间"
RULE = "众创空间名称需规范为：XXX专业化众创空间（XXX为空间所服务的专业细分领域）。"
SHORTEST_FIELD = 2  # characters of XXX: one character does not name a 专业细分领域


def name_problem(name):
    """What is wrong with `name` under the naming rule, in Chinese, or None when it follows it.

    Full-width letters and digits count as their half-width forms; spaces at either end are ignored.
    """
    text = unicodedata.normalize("NFKC", name or "").strip()
    if not text:
        return f"请填写众创空间名称。{RULE}"
    if re.search(r"\s", text):
        return f"众创空间名称中不能有空格。{RULE}"
    if not text.endswith(SUFFIX):
        return f"众创空间名称须以“{SUFFIX}”结尾。{RULE}"
    field = text[: -len(SUFFIX)]
    if not field:
        return f"“{SUFFIX}”前须写明空间所服务的专业细分领域。{RULE}"
    if set(field.upper()) == {"X"}:
        return f"请将“{field}”换成空间所服务的专业细分领域。{RULE}"
    if len(field) < SHORTEST_FIELD:
        return f"专业细分领域“{field}”过短，至少写{SHORTEST_FIELD}个字。{RULE}"
    if "众创空间" in field:
        return f"“{SUFFIX}”前的专业细分领域中不能再含“众创空间”。{RULE}"
    return None
