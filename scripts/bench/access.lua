-- wrk script: present a granted card at door 1 through the admin API (POST /api/v1/access).
wrk.method = "POST"
wrk.body = '{"door": 1, "card": "4567"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("GATEHOUSE_TOKEN")

local non2xx = 0
response = function(status, headers, body)
  if status ~= 200 then non2xx = non2xx + 1 end
end
