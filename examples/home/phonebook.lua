-- Callers allowed to open the gate with DTMF 1.
return { ['+4930111'] = 'Anna', ['+4930222'] = 'Ben' }
