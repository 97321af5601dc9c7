/* One event per $OCCURRENCE: the ring buffer's value type tells bee how to decode it. */
struct event_t {
	$LABEL_FIELDS;
	duration $MEASURE; /* the last numeric field: the gauge's value */
};

/* A Prometheus gauge per label set: the $MEASURE of the latest event. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
	__type(value, struct event_t);
} $MAP SEC(".maps");
/* Counts the events a full ring buffer drops (bee_types.h), so bee run shows exact losses. */
BEE_RINGBUF_LOST($MAP);

static __always_inline void record(struct info_t *info, u64 delta_ns)
{
	struct event_t *e = bee_ringbuf_reserve($MAP, sizeof(*e));
	if (!e)
		return; /* the ring buffer is full: the event is lost (and counted) */
	$COPY_LABELS_TO_EVENT;
	e->$MEASURE = delta_ns;
	bee_ringbuf_submit(e);
}
