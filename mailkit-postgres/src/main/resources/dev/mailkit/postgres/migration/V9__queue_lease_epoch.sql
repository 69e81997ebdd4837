-- mailkit-postgres: fencing for the relay queue's leases (issue 14).
-- Every claim of a message (by any node, including a node taking its own messages back at start) adds one to its
-- lease_epoch. A node remembers the epoch under which it holds each message, and every write it makes for the
-- message (a recipient's result, an attempt, a hold, the removal) and the read of its content before a delivery
-- require that owner and epoch still: a node that was paused for longer than its lease (SIGSTOP, a long GC pause, a
-- frozen VM) and whose message another node has claimed meanwhile finds that out at its next write or delivery, and
-- neither records results nor delivers that message again.
ALTER TABLE mk_queue_message ADD COLUMN lease_epoch bigint NOT NULL DEFAULT 0;
