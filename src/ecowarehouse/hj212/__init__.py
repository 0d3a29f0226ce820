"""HJ 212-2017 packets: frame, CRC (Appendix A) and data segment."""
from ecowarehouse.hj212.packet import Frame, check_frame, crc_hj212, crc_modbus, parse_segment

__all__ = ["Frame", "check_frame", "crc_hj212", "crc_modbus", "parse_segment"]
