-- The company's 37-bit badges: even parity over bits 1-19, a 16-bit facility code (bits 2-17),
-- a 19-bit badge number (bits 18-36), odd parity over bits 19-37. Printed on the badge as the
-- facility code followed by the badge number on 7 digits, which is what the user list holds.
local M = {}

local function ones(bits)
  local _, count = bits:gsub('1', '')
  return count
end

function M.corp37(bits, length)
  if length ~= 37 then return nil end
  if ones(bits:sub(1, 19)) % 2 ~= 0 then return nil end
  if ones(bits:sub(19, 37)) % 2 ~= 1 then return nil end
  local facility = tonumber(bits:sub(2, 17), 2)
  local badge = tonumber(bits:sub(18, 36), 2)
  return string.format('%d%07d', facility, badge)
end

-- Checked at every load and reload: a transform that stops matching them is refused.
M.samples = {
  {bits = '1000001001101001000011011101110101010', expect = '12340056789'},   -- facility 1234, badge 56789
  {bits = '0111111111111111111111111111111111111', expect = '655350524287'},  -- the largest values
  {bits = '1000000000010101000000000000000001110', expect = '420000007'},     -- facility 42, badge 7
  {bits = '1000001001101001000011011101110101011', expect = false},           -- odd parity broken
  {bits = '100000100110100100001101110111010101', expect = false},            -- 36 bits
}

return M
