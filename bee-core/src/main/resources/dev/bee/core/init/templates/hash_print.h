/* The hash map's key: one entry (one Prometheus series) per distinct key. */
struct key_t {
	$LABEL_FIELDS;
};

/* bee run prints each entry that changed: $OCCURRENCES per key. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct key_t);
	__type(value, u64);
} $MAP SEC(".maps");

static __always_inline void record(struct info_t *info, u64 delta_ns)
{
	struct key_t key = {};
	$COPY_LABELS_TO_KEY;
	u64 one = 1;
	u64 *count = bpf_map_lookup_elem(&$MAP, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&$MAP, &key, &one, BPF_NOEXIST);
}
