from django.urls import path

from .views import detail, edit, packages

app_name = "applications"
urlpatterns = [
    path("new/", edit.new_application, name="new"),
    path("<int:pk>/", detail.application_detail, name="detail"),
    path("<int:pk>/actions/<slug:action>/", detail.application_transition, name="transition"),
    # the first programme's parts keep their names; every other part is found by its key
    path("<int:pk>/edit/declaration/", edit.edit_part, {"part": "declaration"}, name="edit_declaration"),
    path("<int:pk>/edit/scheme/", edit.edit_part, {"part": "scheme"}, name="edit_scheme"),
    path("<int:pk>/edit/plan/", edit.edit_plan, name="edit_plan"),
    path("<int:pk>/edit/spatial/", edit.edit_spatial, name="edit_spatial"),
    path("<int:pk>/edit/<slug:part>/", edit.edit_part, name="edit_part"),
    path("<int:pk>/attachments/", edit.attachments, name="attachments"),
    path("<int:pk>/attachments/<int:attachment_pk>/delete/", edit.delete_attachment, name="delete_attachment"),
    path("<int:pk>/files/<int:attachment_pk>/", edit.download_attachment, name="download_attachment"),
    path("<int:pk>/submit/", edit.seal_and_submit, name="submit"),
    path("<int:pk>/package/", packages.request_package, name="request_package"),
    path("<int:pk>/package/<int:package_pk>/", packages.package_page, name="package"),
    path("<int:pk>/package/<int:package_pk>/pdf/", packages.download_package, name="download_package"),
]
