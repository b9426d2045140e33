from django.urls import path

from . import views

app_name = "sustainability"

urlpatterns = [
    path("c/<slug:slug>/needs/", views.AssessmentListView.as_view(), name="assessments"),
    path("c/<slug:slug>/needs/new/", views.AssessmentCreateView.as_view(), name="assessment_create"),
    path("needs/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
    path("needs/<int:pk>/answer/", views.AnswerView.as_view(), name="answer"),
    path("needs/<int:pk>/items/", views.ItemsView.as_view(), name="items"),
    path("needs-items/<int:pk>/edit/", views.ItemEditView.as_view(), name="item_edit"),
    path("needs-items/<int:pk>/delete/", views.ItemDeleteView.as_view(), name="item_delete"),
    path("c/<slug:slug>/goals/", views.GoalListView.as_view(), name="goals"),
    path("c/<slug:slug>/goals/new/", views.GoalCreateView.as_view(), name="goal_create"),
    path("goals/<int:pk>/edit/", views.GoalEditView.as_view(), name="goal_edit"),
    path("goals/<int:pk>/tasks/new/", views.TaskCreateView.as_view(), name="task_create"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/edit/", views.TaskEditView.as_view(), name="task_edit"),
]
