"""附件3《江苏省众创社区建设分年度计划表》: 11 indicators, one column per year of the call."""

from ..base import Indicator as I

INDICATORS = (
    I(1, "创新创业服务载体建筑面积", "万平方米", "decimal"),
    I(2, "创新创业人才数量", "人", "integer"),
    I(3, "专业化众创空间数量", "家", "integer"),
    I(4, "科技企业孵化器数量", "家", "integer"),
    I(5, "特色战略新兴产业建设项目投资占比", "%", "percent"),
    I(6, "高新技术产业年产值占比", "%", "percent"),
    I(7, "新登记注册的初创企业数增长率", "%", "growth"),
    I(8, "吸纳从业人员数增长率", "%", "growth"),
    I(9, "公共服务平台数量", "个", "integer"),
    I(10, "创业服务机构数量", "个", "integer"),
    I(11, "高新技术企业数量", "个", "integer"),
)


def cell_key(number, year):
    return f"i{number}_{year}"
