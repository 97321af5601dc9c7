/* The hash map's key: one entry (one Prometheus series) per distinct key. */
struct key_t {
	$LABEL_FIELDS;
};

/* A Prometheus gauge per key: the $MEASURE of the latest $OCCURRENCE. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct key_t);
	__type(value, duration);
} $MAP SEC(".maps");

static __always_inline void record(struct info_t *info, u64 delta_ns)
{
	struct key_t key = {};
	$COPY_LABELS_TO_KEY;
	duration value = delta_ns;
	bpf_map_update_elem(&$MAP, &key, &value, BPF_ANY);
}
