"""The distributed backends, each behind the interface of its embedded counterpart.

`postgres` is a `bot.store.Store` on PostgreSQL (DATABASE_URL), `redis_queue` a
`bot.jobs.JobRunner` on an RQ task queue in Redis (QUEUE_URL) with `nnbot worker` processes,
`shared` the per-chat lock and the shared counters several bot replicas need, `migrate` the
`nnbot migrate` command. Nothing here is imported unless the environment asks for it, so the
embedded default needs neither psycopg nor redis.
"""
