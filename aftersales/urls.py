from django.urls import path

from aftersales import signing_views, views

app_name = "aftersales"

urlpatterns = [
    path("", views.todo, name="todo"),
    path("files/attachment/<int:pk>/", views.attachment_file, name="attachment-file"),
    path("files/signature/<int:pk>/", views.signature_image, name="signature-image"),
    path("archive/<int:pk>/", views.archive_download, name="archive-download"),
    path("verify/", views.verify_lookup, name="verify-lookup"),
    path("verify/<uuid:code>/", views.archive_verify, name="archive-verify"),
    path("s/<str:token>/", signing_views.sign_link, name="sign-link"),
]
