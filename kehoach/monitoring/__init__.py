"""Monitoring: dashboard, deadlines and reminders (đôn đốc), inspections (kiểm tra),
difficulties (khó khăn, vướng mắc) and the PAR Index estimate."""
