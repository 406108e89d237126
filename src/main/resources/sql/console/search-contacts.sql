-- GET /contacts?q=&limit=: contacts whose name, company, e-mail or phone contains q (case-insensitive), or whose
-- Dialpad id is q; q empty: the most recently updated. At most limit (25, max 200).
WITH s AS (
    SELECT NULLIF(btrim(CAST(:#${header.q} AS text)), '') AS q,
           LEAST(COALESCE(CAST(:#${header.limit} AS integer), 25), 200) AS lim)
SELECT CAST(json_build_object('items', COALESCE(json_agg(contact_json(k) ORDER BY k.updated_at DESC NULLS LAST,
                                                         k.dialpad_contact_id), '[]'::json)) AS text)
FROM (SELECT k.* FROM contacts k, s
      WHERE s.q IS NULL OR k.dialpad_contact_id = s.q
         OR strpos(lower(concat_ws(' ', k.display_name, k.first_name, k.last_name, k.company_name, k.primary_email,
                                   array_to_string(k.phones, ' '), array_to_string(k.emails, ' '))),
                   lower(s.q)) > 0
      ORDER BY k.updated_at DESC NULLS LAST, k.dialpad_contact_id
      LIMIT (SELECT lim FROM s)) AS k
