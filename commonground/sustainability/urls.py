from django.urls import path

from . import views

app_name = "sustainability"

urlpatterns = [
    path("c/<slug:slug>/needs/", views.AssessmentListView.as_view(), name="assessments"),
    path("c/<slug:slug>/needs/new/", views.AssessmentCreateView.as_view(), name="assessment_create"),
    path("needs/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
    path("needs/<int:pk>/answer/", views.AnswerView.as_view(), name="answer"),
    path("needs/<int:pk>/answer/<slug:area>/", views.AnswerAreaView.as_view(), name="answer_area"),
    path("needs/<int:pk>/items/", views.ItemsView.as_view(), name="items"),
    path("needs-items/<int:pk>/edit/", views.ItemEditView.as_view(), name="item_edit"),
    path("needs-items/<int:pk>/delete/", views.ItemDeleteView.as_view(), name="item_delete"),
    path("needs-items/<int:pk>/rank/", views.NeedRankView.as_view(), name="need_rank"),
    path("c/<slug:slug>/goals/", views.GoalListView.as_view(), name="goals"),
    path("c/<slug:slug>/goals/new/", views.GoalCreateView.as_view(), name="goal_create"),
    path("goals/<int:pk>/edit/", views.GoalEditView.as_view(), name="goal_edit"),
    path("goals/<int:pk>/tasks/new/", views.TaskCreateView.as_view(), name="task_create"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/edit/", views.TaskEditView.as_view(), name="task_edit"),
    path("c/<slug:slug>/plan/", views.PartnershipPlanView.as_view(), name="partnership_plan"),
    path("c/<slug:slug>/calendar/", views.CalendarView.as_view(), name="calendar"),
    path("calendar/<str:token>.ics", views.CalendarFeedView.as_view(), name="calendar_feed"),
    path("c/<slug:slug>/meetings/", views.MeetingListView.as_view(), name="meetings"),
    path("c/<slug:slug>/meetings/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.MeetingEditView.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/delete/", views.MeetingDeleteView.as_view(), name="meeting_delete"),
    path("meetings/<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("meetings/<int:pk>/objectives/new/", views.ObjectiveCreateView.as_view(), name="objective_create"),
    path(
        "meetings/<int:pk>/observations/new/",
        views.ObservationCreateView.as_view(),
        name="observation_create",
    ),
    path("objectives/<int:item>/delete/", views.ObjectiveDeleteView.as_view(), name="objective_delete"),
    path("observations/<int:item>/delete/", views.ObservationDeleteView.as_view(), name="observation_delete"),
    path(
        "observations/<int:item>/actions/new/",
        views.CorrectiveActionCreateView.as_view(),
        name="corrective_action_create",
    ),
]
