"""The hazardous-waste export headers as the provincial system writes them: the file contract the tests write
fixtures against, kept apart from the loader's own header map."""
MANIFEST_HEADER = (
    "联单编号,转移类型,产生单位名称,产生单位统一社会信用代码,产生单位所在区县,产生单位地址,废物代码,废物类别,废物名称,"
    "废物形态,危险特性,转移数量(吨),包装方式,运输单位名称,道路运输经营许可证号,运输车牌号,接受单位名称,"
    "接受单位统一社会信用代码,危险废物经营许可证编号,接受单位所在省份,接受单位所在区县,利用处置方式,转移时间,接收时间,"
    "接收数量(吨),联单状态").split(",")
DECLARATION_HEADER = (
    "申报类型,年份,月份,产生单位名称,产生单位统一社会信用代码,所在区县,废物代码,废物类别,废物名称,计划产生量(吨),"
    "实际产生量(吨),自行利用处置量(吨),委托利用处置量(吨),期末贮存量(吨)").split(",")
