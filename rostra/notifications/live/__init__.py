"""Live updates of an article's comment section, and the map of how they get there.

A comment, from the form to every open page of its article:

1. The reader posts: the comment form (`discussion.views.post_comment`) or the API
   (`POST /api/comments`, `discussion.api.create_comment`); both call
   `discussion.services.comment_post`. Votes (`comment_vote`) and a moderator's
   approval (`comment_moderate`) take the same path from step 2.
2. Inside the service's transaction the comment is written and, when it is visible to
   all, `core.events.publish(CommentPublished(...))` is called (`VoteChanged` for a vote;
   the events are defined in `discussion/events.py`).
3. `publish` runs the recorders at once, in that transaction:
   `notifications.receivers.record_live_comment` writes a `LiveEvent` row, so the event
   exists exactly when the comment does (a rollback takes both away).
4. After the commit, `publish` delivers the event to the handlers that
   `receivers.register()` subscribed from `NotificationsConfig.ready()`, in order:
   `enqueue_notifications` queues the e-mail task when anyone could be told (the worker
   then sends it, or files it for a digest: `notifications.tasks`), and
   `announce_live` calls `bus.announce()`.
5. `bus` (this package) wakes the streams. On PostgreSQL it wakes this process's streams
   and sends `NOTIFY rostra_live`; each `rostra serve` process that holds streams LISTENs
   on that channel from a thread of its own and wakes its streams too. On SQLite (one
   machine, `rostra serve --workers N` processes) it wakes this process's streams, and
   each process with streams waiting reads the highest `LiveEvent` id every 100 ms from
   a thread of its own, waking its streams when it grew. Either way a wake-up only says
   "look again": the rows are the truth, and a lost wake-up costs at most one heartbeat
   (15 seconds, when every hub looks again anyway), never an event.
6. `hub`: one `ArticleHub` per article and process reads the new `LiveEvent` rows once
   per wake-up (only while readers may see the thread) and hands them to every stream
   of that article in this process, keeping the last 500 for streams that fall behind.
7. `views.stream` sends them to the browser as Server-Sent Events (`id:` is the row's
   id): it first catches up from `Last-Event-ID` (or `?since=`), then follows the hub,
   with a heartbeat comment when idle, for 30 minutes, after which the browser
   reconnects and resumes. Browsers without EventSource fetch `views.poll` (the same
   events as JSON) every 5 seconds.
8. `static/notifications/live.js` shows "N new comments" and updates scores.

Old `LiveEvent` rows are removed by `rostra prune` (`notifications.retention`). The
events, their publishers and subscribers: docs/ARCHITECTURE.md.
"""
