"""HJ 212-2017 packets: frame, CRC (Appendix A) and data segment."""
from ecowarehouse.hj212.packet import (Frame, check_frame, check_frames, crc_hj212, crc_hj212_many, crc_modbus,
                                       crc_modbus_many, iter_parse_segments, parse_segment, parse_segments)

__all__ = ["Frame", "check_frame", "check_frames", "crc_hj212", "crc_hj212_many", "crc_modbus", "crc_modbus_many",
           "iter_parse_segments", "parse_segment", "parse_segments"]
