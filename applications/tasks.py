from celery import shared_task

from .domain.reminders import remind_recommendation_deadlines as remind


@shared_task(name="applications.remind_recommendation_deadlines", acks_late=True)
def remind_recommendation_deadlines():
    return remind()
